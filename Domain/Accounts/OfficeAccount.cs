using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Accounts;

/// <summary>
/// The name a person signs in with: 3–32 lowercase letters, digits, dots, hyphens or underscores,
/// starting with a letter (<c>nguyen.van.a</c>). Typed in any case; stored and compared in lower case.
/// </summary>
public readonly partial record struct AccountName
{
    private AccountName(string value) => Value = value;

    public string Value { get; }

    public static Result<AccountName> Parse(string? text, string field = "name")
    {
        var value = (text ?? string.Empty).Trim().ToLowerInvariant();
        return value.Length == 0
            ? Error.Validation(field, "required", "Hãy nhập tên đăng nhập.")
            : Grammar().IsMatch(value)
                ? new AccountName(value)
                : Error.Validation(field, "invalid-name", "Tên đăng nhập dài 3–32 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới, bắt đầu bằng chữ.");
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z][a-z0-9._-]{2,31}$")]
    private static partial Regex Grammar();
}

/// <summary>
/// A person's office account. The password is kept only as a salted, slow hash
/// (<see cref="IPasswordHashing"/>); <see cref="Stamp"/> changes whenever what a session relies on
/// changes (password, reset, disabling), which ends every session opened before.
/// </summary>
public sealed record OfficeAccount
{
    public required AccountName Name { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Distinct, in the enum's order.</summary>
    public required IReadOnlyList<OfficeRole> Roles { get; init; }

    public required string PasswordHash { get; init; }

    /// <summary>Set by an administrator's reset or a new account's temporary password: the person chooses their own before anything else.</summary>
    public required bool MustChangePassword { get; init; }

    public required bool Disabled { get; init; }

    /// <summary>Wrong passwords or codes since the last success or lockout.</summary>
    public required int FailedAttempts { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>The TOTP shared secret (base32) when the second factor is on.</summary>
    public string? TotpSecret { get; init; }

    /// <summary>The last TOTP time step accepted: a code is good once.</summary>
    public long LastTotpStep { get; init; }

    public required string Stamp { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public bool HasSecondFactor => TotpSecret is not null;

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public bool Holds(OfficeRole role) => Roles.Contains(role);

    /// <summary>A new random stamp: sessions that carry the old one end.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>What an administrator sees change in the audit trail (never the hash or the secret).</summary>
    public IReadOnlyList<(string Label, string Value)> Describe() =>
    [
        ("Họ tên", DisplayName),
        ("Vai trò", OfficeRoles.Names(Roles)),
        ("Trạng thái", Disabled ? "đã khóa" : "đang dùng"),
        ("Xác thực hai lớp", HasSecondFactor ? "bật" : "tắt"),
        ("Phải đổi mật khẩu", MustChangePassword ? "có" : "không"),
    ];
}

/// <summary>Hashes and checks passwords; the implementation (ASP.NET Core Identity's PasswordHasher) lives with the storage adapters.</summary>
public interface IPasswordHashing
{
    string Hash(string password);

    /// <summary>Whether <paramref name="password"/> matches; <c>Rehash</c> when it does but the hash should be renewed (an older format or fewer iterations).</summary>
    PasswordMatch Verify(string hash, string password);
}

public enum PasswordMatch
{
    Wrong,
    Right,
    RightRehash,
}

/// <summary>Time-based one-time codes (RFC 6238: 6 digits, 30-second steps).</summary>
public interface IOneTimeCodes
{
    /// <summary>A new shared secret, base32, for an authenticator app.</summary>
    string NewSecret();

    /// <summary>The time step of <paramref name="code"/> when it is right for <paramref name="secret"/> at <paramref name="now"/> (one step of drift either way), else null.</summary>
    long? Match(string secret, string? code, DateTimeOffset now);
}

/// <summary>Rules for passwords people choose, and the temporary ones an administrator hands out.</summary>
public static class Passwords
{
    public const int MinimumLength = 10;
    public const int MaximumLength = 128;

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static Result<string> Check(string? password, AccountName name, string field = "newPassword")
    {
        var value = password ?? string.Empty;
        if (value.Length < MinimumLength)
        {
            return Error.Validation(field, "too-short", $"Mật khẩu cần ít nhất {MinimumLength} ký tự.");
        }

        if (value.Length > MaximumLength)
        {
            return Error.Validation(field, "too-long", $"Mật khẩu tối đa {MaximumLength} ký tự.");
        }

        return value.Contains(name.Value, StringComparison.OrdinalIgnoreCase)
            ? Error.Validation(field, "contains-name", "Mật khẩu không được chứa tên đăng nhập.")
            : value;
    }

    /// <summary>A temporary password to read out or write down: three groups of four letters and digits without look-alikes (<c>k7mp-3xqa-w9ds</c>).</summary>
    public static string Temporary() =>
        string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString(Alphabet, 4)));
}
