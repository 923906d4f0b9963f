using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Accounts;

/// <summary>Storage of office accounts; replacing is conditional on the version read.</summary>
public interface IAccountStore
{
    Task<Versioned<OfficeAccount>?> GetAsync(AccountName name, CancellationToken cancellationToken);

    Task<IReadOnlyList<OfficeAccount>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds the account (expected version null: only if absent, else Conflict) or replaces it if still at the expected version.</summary>
    Task<Result<bool>> WriteAsync(OfficeAccount account, StoredVersion? expectedVersion, CancellationToken cancellationToken);
}

/// <summary>How a sign-in step ended.</summary>
public enum SignInState
{
    /// <summary>The person is who they say: open a session.</summary>
    SignedIn,

    /// <summary>The password is right and the account has a second factor: ask for the code.</summary>
    NeedsCode,

    /// <summary>Wrong name, password or code — or a disabled account: said alike, so nothing tells which.</summary>
    Refused,

    /// <summary>Too many wrong attempts: nothing is checked until <see cref="SignInOutcome.LockedUntil"/>.</summary>
    LockedOut,
}

public sealed record SignInOutcome(SignInState State, OfficeAccount? Account = null, DateTimeOffset? LockedUntil = null)
{
    public static readonly SignInOutcome Refused = new(SignInState.Refused);

    /// <summary>Whether this attempt locked the account (the trail records it).</summary>
    public bool JustLocked { get; init; }
}

/// <summary>An account changed by an administrator or its owner: how it was and how it is (for the audit trail), and a temporary password when one was made.</summary>
public sealed record AccountChange(OfficeAccount? Before, OfficeAccount After, string? TemporaryPassword = null);

/// <summary>
/// Office accounts: signing in (password, then a TOTP code when the account has one), lockout after
/// <see cref="MaxFailures"/> wrong attempts for <see cref="LockoutDuration"/>, and what administrators
/// and owners change. Every change is a read-modify-write conditional on the version read, retried
/// when another request changed the account meanwhile (two wrong passwords at once both count).
/// </summary>
public sealed class AccountDesk(IAccountStore store, IPasswordHashing hashing, IOneTimeCodes codes, TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private const int Attempts = 5;

    /// <summary>A hash of a password nobody has, checked when the name is unknown so that the answer takes as long as for a real account.</summary>
    private readonly Lazy<string> _decoy = new(() => hashing.Hash(Passwords.Temporary()));

    public Task<IReadOnlyList<OfficeAccount>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<OfficeAccount?> FindAsync(AccountName name, CancellationToken cancellationToken) =>
        (await store.GetAsync(name, cancellationToken))?.Value;

    /// <summary>The account a session names, while the session is still good: it exists, is not disabled, and its stamp is the session's.</summary>
    public async Task<OfficeAccount?> SessionAccountAsync(string? name, string? stamp, CancellationToken cancellationToken)
    {
        var parsed = AccountName.Parse(name);
        if (!parsed.IsSuccess || string.IsNullOrEmpty(stamp))
        {
            return null;
        }

        var account = await FindAsync(parsed.Value, cancellationToken);
        return account is { Disabled: false } && account.Stamp == stamp ? account : null;
    }

    /// <summary>
    /// The first administrator, from the deployment's configuration: created when that name is first
    /// used to sign in and no account has it yet (afterwards the stored account is what counts, and the
    /// configured password is no longer read).
    /// </summary>
    public async Task EnsureFirstAdministratorAsync(string? name, string? password, CancellationToken cancellationToken)
    {
        var parsed = AccountName.Parse(name);
        if (!parsed.IsSuccess || string.IsNullOrEmpty(password) || await store.GetAsync(parsed.Value, cancellationToken) is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        // A lost race means another request created it first: the same account either way.
        await store.WriteAsync(
            new OfficeAccount
            {
                Name = parsed.Value,
                DisplayName = "Quản trị hệ thống",
                Roles = [OfficeRole.QuanTri],
                PasswordHash = hashing.Hash(password),
                MustChangePassword = false,
                Disabled = false,
                FailedAttempts = 0,
                Stamp = OfficeAccount.NewStamp(),
                CreatedAt = now,
                UpdatedAt = now,
            },
            null,
            cancellationToken);
    }

    /// <summary>The first step: name and password.</summary>
    public async Task<SignInOutcome> CheckPasswordAsync(string? name, string? password, CancellationToken cancellationToken)
    {
        var parsed = AccountName.Parse(name);
        var found = parsed.IsSuccess ? await store.GetAsync(parsed.Value, cancellationToken) : null;
        if (found is null)
        {
            hashing.Verify(_decoy.Value, password ?? string.Empty);
            return SignInOutcome.Refused;
        }

        return await AttemptAsync(found, account =>
        {
            var match = hashing.Verify(account.PasswordHash, password ?? string.Empty);
            if (match == PasswordMatch.Wrong)
            {
                return (false, account);
            }

            return (true, match == PasswordMatch.RightRehash ? account with { PasswordHash = hashing.Hash(password!) } : account);
        }, secondStep: false, cancellationToken);
    }

    /// <summary>The second step: the code from the authenticator app, for the account whose password was right (its stamp unchanged since).</summary>
    public async Task<SignInOutcome> CheckCodeAsync(AccountName name, string stamp, string? code, CancellationToken cancellationToken)
    {
        var found = await store.GetAsync(name, cancellationToken);
        if (found is null || found.Value.Stamp != stamp || !found.Value.HasSecondFactor)
        {
            return SignInOutcome.Refused;
        }

        return await AttemptAsync(found, account =>
        {
            var step = codes.Match(account.TotpSecret!, code, time.GetUtcNow());
            return step is { } s && s > account.LastTotpStep ? (true, account with { LastTotpStep = s }) : (false, account);
        }, secondStep: true, cancellationToken);
    }

    /// <summary>One attempt against a lockout: locked accounts are not checked; a wrong answer counts, the fifth locks; a right one clears the count.</summary>
    private async Task<SignInOutcome> AttemptAsync(
        Versioned<OfficeAccount> found, Func<OfficeAccount, (bool Right, OfficeAccount Account)> check, bool secondStep, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var account = found.Value;
            if (account.IsLockedAt(now))
            {
                return new SignInOutcome(SignInState.LockedOut, account, account.LockedUntil);
            }

            var (right, checkedAccount) = check(account);
            OfficeAccount next;
            SignInOutcome outcome;
            if (!right)
            {
                var failures = account.FailedAttempts + 1;
                var locks = failures >= MaxFailures;
                next = account with { FailedAttempts = locks ? 0 : failures, LockedUntil = locks ? now + LockoutDuration : account.LockedUntil };
                outcome = locks
                    ? new SignInOutcome(SignInState.LockedOut, next, next.LockedUntil) { JustLocked = true }
                    : SignInOutcome.Refused with { Account = next };
            }
            else if (account.Disabled)
            {
                return SignInOutcome.Refused;
            }
            else
            {
                var done = secondStep || !account.HasSecondFactor;
                next = done ? checkedAccount with { FailedAttempts = 0, LockedUntil = null } : checkedAccount;
                outcome = new SignInOutcome(done ? SignInState.SignedIn : SignInState.NeedsCode, next);
                if (next == account)
                {
                    return outcome;
                }
            }

            var written = await store.WriteAsync(next, found.Version, cancellationToken);
            if (written.IsSuccess)
            {
                return outcome;
            }

            found = await store.GetAsync(account.Name, cancellationToken) ?? found;
        }

        return SignInOutcome.Refused;
    }

    /// <summary>An administrator adds an account; it gets a temporary password to change at first sign-in.</summary>
    public async Task<Result<AccountChange>> CreateAsync(string? name, string? displayName, IEnumerable<string?> roleCodes, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var accountName = v.Take(AccountName.Parse(name), "name");
        var display = v.Take(Text.Clean(displayName, "displayName", 100), "displayName");
        var roles = v.Take(OfficeRoles.ParseAll(roleCodes), "roles");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var now = time.GetUtcNow();
        var temporary = Passwords.Temporary();
        var account = new OfficeAccount
        {
            Name = accountName,
            DisplayName = display!,
            Roles = roles!,
            PasswordHash = hashing.Hash(temporary),
            MustChangePassword = true,
            Disabled = false,
            FailedAttempts = 0,
            Stamp = OfficeAccount.NewStamp(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var written = await store.WriteAsync(account, null, cancellationToken);
        return written.IsSuccess
            ? new AccountChange(null, account, temporary)
            : Error.Validation("name", "taken", "Tên đăng nhập này đã có người dùng.");
    }

    /// <summary>An administrator changes an account's roles. Nobody removes their own administrator role (the office would lose its last way in).</summary>
    public Task<Result<AccountChange>> SetRolesAsync(AccountName actor, string? name, IEnumerable<string?> roleCodes, CancellationToken cancellationToken)
    {
        var roles = OfficeRoles.ParseAll(roleCodes);
        return !roles.IsSuccess
            ? Task.FromResult(Result<AccountChange>.Failure(roles.Error!))
            : ChangeAsync(name, account => account.Name == actor && account.Holds(OfficeRole.QuanTri) && !roles.Value.Contains(OfficeRole.QuanTri)
                ? Error.Validation("roles", "own-administrator", "Không thể tự bỏ vai trò quản trị của chính mình.")
                : account with { Roles = roles.Value }, cancellationToken);
    }

    /// <summary>An administrator disables an account: its sessions end at once and it cannot sign in. Nobody disables their own.</summary>
    public Task<Result<AccountChange>> DisableAsync(AccountName actor, string? name, CancellationToken cancellationToken) =>
        ChangeAsync(name, account => account.Name == actor
            ? Error.Validation("name", "own-account", "Không thể tự khóa tài khoản của chính mình.")
            : account with { Disabled = true, Stamp = OfficeAccount.NewStamp() }, cancellationToken);

    public Task<Result<AccountChange>> EnableAsync(string? name, CancellationToken cancellationToken) =>
        ChangeAsync(name, account => account with { Disabled = false, FailedAttempts = 0, LockedUntil = null }, cancellationToken);

    /// <summary>An administrator resets an account: a new temporary password, the second factor and the lockout cleared, every session ended.</summary>
    public async Task<Result<AccountChange>> ResetAsync(string? name, CancellationToken cancellationToken)
    {
        var temporary = Passwords.Temporary();
        var hash = hashing.Hash(temporary);
        var changed = await ChangeAsync(name, account => account with
        {
            PasswordHash = hash,
            MustChangePassword = true,
            TotpSecret = null,
            LastTotpStep = 0,
            FailedAttempts = 0,
            LockedUntil = null,
            Stamp = OfficeAccount.NewStamp(),
        }, cancellationToken);
        return changed.IsSuccess ? changed.Value with { TemporaryPassword = temporary } : changed;
    }

    /// <summary>The owner chooses a new password, giving the current one. Other sessions end (a new stamp); the caller renews its own.</summary>
    public Task<Result<AccountChange>> ChangePasswordAsync(AccountName name, string? current, string? newPassword, string? repeated, CancellationToken cancellationToken)
    {
        var chosen = Passwords.Check(newPassword, name);
        if (!chosen.IsSuccess)
        {
            return Task.FromResult(Result<AccountChange>.Failure(chosen.Error!));
        }

        if (newPassword != repeated)
        {
            return Task.FromResult(Result<AccountChange>.Failure(Error.Validation("repeatPassword", "mismatch", "Hai lần nhập mật khẩu mới không giống nhau.")));
        }

        var hash = hashing.Hash(newPassword!);
        return ChangeAsync(name.Value, account =>
        {
            if (hashing.Verify(account.PasswordHash, current ?? string.Empty) == PasswordMatch.Wrong)
            {
                return Error.Validation("currentPassword", "wrong", "Mật khẩu hiện tại không đúng.");
            }

            return hashing.Verify(account.PasswordHash, newPassword!) != PasswordMatch.Wrong
                ? Error.Validation("newPassword", "unchanged", "Mật khẩu mới phải khác mật khẩu hiện tại.")
                : account with { PasswordHash = hash, MustChangePassword = false, Stamp = OfficeAccount.NewStamp() };
        }, cancellationToken);
    }

    /// <summary>A new secret for the owner to put into an authenticator app; nothing is stored until <see cref="EnableSecondFactorAsync"/> confirms a code from it.</summary>
    public string NewSecondFactorSecret() => codes.NewSecret();

    /// <summary>Turns the second factor on once the owner shows a code from the app (so a mistyped secret cannot lock them out).</summary>
    public Task<Result<AccountChange>> EnableSecondFactorAsync(AccountName name, string secret, string? code, CancellationToken cancellationToken) =>
        ChangeAsync(name.Value, account => codes.Match(secret, code, time.GetUtcNow()) is { } step
            ? account with { TotpSecret = secret, LastTotpStep = step }
            : Error.Validation("code", "wrong-code", "Mã xác thực không đúng hoặc đã hết hạn. Xin nhập mã đang hiện trên ứng dụng."), cancellationToken);

    /// <summary>The owner turns the second factor off, giving the password.</summary>
    public Task<Result<AccountChange>> DisableSecondFactorAsync(AccountName name, string? password, CancellationToken cancellationToken) =>
        ChangeAsync(name.Value, account => hashing.Verify(account.PasswordHash, password ?? string.Empty) == PasswordMatch.Wrong
            ? Error.Validation("currentPassword", "wrong", "Mật khẩu không đúng.")
            : account with { TotpSecret = null, LastTotpStep = 0 }, cancellationToken);

    private async Task<Result<AccountChange>> ChangeAsync(string? name, Func<OfficeAccount, Result<OfficeAccount>> change, CancellationToken cancellationToken)
    {
        var parsed = AccountName.Parse(name);
        if (!parsed.IsSuccess)
        {
            return Error.NotFound("account-not-found", "Không có tài khoản này.");
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await store.GetAsync(parsed.Value, cancellationToken) is not { } found)
            {
                return Error.NotFound("account-not-found", "Không có tài khoản này.");
            }

            var changed = change(found.Value);
            if (!changed.IsSuccess)
            {
                return changed.Error!;
            }

            var next = changed.Value with { UpdatedAt = time.GetUtcNow() };
            var written = await store.WriteAsync(next, found.Version, cancellationToken);
            if (written.IsSuccess)
            {
                return new AccountChange(found.Value, next);
            }
        }

        return Error.Conflict("concurrent-change", "Tài khoản vừa được thay đổi đồng thời; hãy tải lại và thử lại.");
    }
}
