using Microsoft.AspNetCore.Identity;
using OtpNet;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.Security.Accounts;

public static class OfficeAccountsServiceCollectionExtensions
{
    /// <summary>Accounts and programs' keys in table <c>accounts</c>, passwords hashed by ASP.NET Core Identity, TOTP by Otp.NET.</summary>
    public static IServiceCollection AddOfficeAccounts(this IServiceCollection services) =>
        services.AddTable(TableAccountStore.TableName)
            .AddSingleton<TableAccountStore>()
            .AddSingleton<IAccountStore>(sp => sp.GetRequiredService<TableAccountStore>())
            .AddSingleton<IProgramKeyStore>(sp => sp.GetRequiredService<TableAccountStore>())
            .AddSingleton<IPasswordHashing, IdentityPasswordHashing>()
            .AddSingleton<IOneTimeCodes, TotpCodes>()
            .AddSingleton<AccountDesk>()
            .AddSingleton<ProgramKeyRing>();
}

/// <summary>
/// ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (part of the ASP.NET Core framework
/// the handler runs on): PBKDF2 with HMAC-SHA512, a 128-bit salt and 100,000 iterations (Identity
/// v3 format); a hash in an older format or with fewer iterations is renewed at the next sign-in.
/// </summary>
internal sealed class IdentityPasswordHashing : IPasswordHashing
{
    private static readonly OfficeAccountUser User = new();
    private readonly PasswordHasher<OfficeAccountUser> _hasher = new();

    public string Hash(string password) => _hasher.HashPassword(User, password);

    public PasswordMatch Verify(string hash, string password)
    {
        try
        {
            return _hasher.VerifyHashedPassword(User, hash, password) switch
            {
                PasswordVerificationResult.Success => PasswordMatch.Right,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordMatch.RightRehash,
                _ => PasswordMatch.Wrong,
            };
        }
        catch (FormatException)
        {
            // Not a hash at all (a damaged row): no password matches it.
            return PasswordMatch.Wrong;
        }
    }

    /// <summary>The hasher's user type; the v3 format does not use the user.</summary>
    private sealed class OfficeAccountUser;
}

/// <summary>RFC 6238 codes by Otp.NET: SHA-1, 6 digits, 30-second steps (what authenticator apps expect), one step of clock drift either way.</summary>
internal sealed class TotpCodes : IOneTimeCodes
{
    public string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    public long? Match(string secret, string? code, DateTimeOffset now)
    {
        var digits = new string((code ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) ? step : null;
    }
}
