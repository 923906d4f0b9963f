using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Tests.Domain.Accounts;

/// <summary>Signing in and changing accounts, on a store in memory, a readable hasher, codes that name their time step, and a clock the tests move.</summary>
public sealed class AccountDeskTests
{
    private readonly Clock _clock = new(new DateTimeOffset(2026, 2, 20, 8, 0, 0, TimeSpan.FromHours(7)));
    private readonly MemoryStore _store = new();
    private readonly AccountDesk _desk;

    public AccountDeskTests() => _desk = new AccountDesk(_store, new PlainHashing(), new StepCodes(), _clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<OfficeAccount> AccountAsync(string name = "vanphong", string password = "mat-khau-dung", string? totp = null, params OfficeRole[] roles)
    {
        var account = new OfficeAccount
        {
            Name = AccountName.Parse(name).Value,
            DisplayName = name,
            Roles = roles.Length > 0 ? roles : [OfficeRole.VanPhong],
            PasswordHash = "h:" + password,
            MustChangePassword = false,
            Disabled = false,
            FailedAttempts = 0,
            TotpSecret = totp,
            Stamp = "s1",
            CreatedAt = _clock.GetUtcNow(),
            UpdatedAt = _clock.GetUtcNow(),
        };
        await _store.WriteAsync(account, null, Ct);
        return account;
    }

    [Fact]
    public async Task The_right_password_signs_in_and_a_wrong_one_or_an_unknown_name_is_refused_alike()
    {
        await AccountAsync();

        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync(" VanPhong", "mat-khau-dung", Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("vanphong", "sai", Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("khong-co", "mat-khau-dung", Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("<script>", "x", Ct)).State);
    }

    [Fact]
    public async Task Five_wrong_attempts_lock_the_account_for_fifteen_minutes_then_it_opens_again_and_a_success_clears_the_count()
    {
        await AccountAsync();
        for (var i = 1; i < AccountDesk.MaxFailures; i++)
        {
            Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("vanphong", "sai", Ct)).State);
        }

        var fifth = await _desk.CheckPasswordAsync("vanphong", "sai", Ct);
        Assert.Equal(SignInState.LockedOut, fifth.State);
        Assert.True(fifth.JustLocked);
        Assert.Equal(_clock.GetUtcNow() + AccountDesk.LockoutDuration, fifth.LockedUntil);

        _clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await _desk.CheckPasswordAsync("vanphong", "mat-khau-dung", Ct);
        Assert.Equal(SignInState.LockedOut, stillLocked.State);
        Assert.False(stillLocked.JustLocked);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync("vanphong", "mat-khau-dung", Ct)).State);
        Assert.Equal(0, (await _desk.FindAsync(AccountName.Parse("vanphong").Value, Ct))!.FailedAttempts);
    }

    [Fact]
    public async Task A_disabled_account_is_refused_even_with_its_password()
    {
        await AccountAsync("quantri", roles: OfficeRole.QuanTri);
        await AccountAsync();
        var actor = AccountName.Parse("quantri").Value;

        Assert.True((await _desk.DisableAsync(actor, "vanphong", Ct)).IsSuccess);

        Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("vanphong", "mat-khau-dung", Ct)).State);
        Assert.Null(await _desk.SessionAccountAsync("vanphong", "s1", Ct));
    }

    [Fact]
    public async Task With_a_second_factor_the_password_asks_for_a_code_which_is_good_once_and_wrong_codes_count_toward_the_lockout()
    {
        var account = await AccountAsync(totp: "SECRET");
        var step = StepCodes.StepAt(_clock.GetUtcNow());

        var password = await _desk.CheckPasswordAsync("vanphong", "mat-khau-dung", Ct);
        Assert.Equal(SignInState.NeedsCode, password.State);
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckCodeAsync(account.Name, "s1", StepCodes.Code(step), Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckCodeAsync(account.Name, "s1", StepCodes.Code(step), Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckCodeAsync(account.Name, "another-stamp", StepCodes.Code(step + 1), Ct)).State);

        for (var i = 1; i < AccountDesk.MaxFailures - 1; i++)
        {
            Assert.Equal(SignInState.Refused, (await _desk.CheckCodeAsync(account.Name, "s1", "000000", Ct)).State);
        }

        Assert.Equal(SignInState.LockedOut, (await _desk.CheckCodeAsync(account.Name, "s1", "000000", Ct)).State);
        Assert.Equal(SignInState.LockedOut, (await _desk.CheckCodeAsync(account.Name, "s1", StepCodes.Code(step + 1), Ct)).State);
    }

    [Fact]
    public async Task The_second_factor_is_turned_on_only_with_a_right_code_from_the_new_secret()
    {
        var account = await AccountAsync();
        var step = StepCodes.StepAt(_clock.GetUtcNow());

        Assert.False((await _desk.EnableSecondFactorAsync(account.Name, "NEW", "999999", Ct)).IsSuccess);
        Assert.True((await _desk.EnableSecondFactorAsync(account.Name, "NEW", StepCodes.Code(step), Ct)).IsSuccess);
        Assert.Equal(SignInState.NeedsCode, (await _desk.CheckPasswordAsync("vanphong", "mat-khau-dung", Ct)).State);
        Assert.False((await _desk.DisableSecondFactorAsync(account.Name, "sai", Ct)).IsSuccess);
        Assert.True((await _desk.DisableSecondFactorAsync(account.Name, "mat-khau-dung", Ct)).IsSuccess);
    }

    [Fact]
    public async Task A_new_account_and_a_reset_one_get_a_temporary_password_to_change_and_the_reset_ends_sessions_and_clears_the_second_factor()
    {
        var created = await _desk.CreateAsync("Nguyen.Van.A", "Nguyễn Văn A", ["ban-xay-dung-dang", "thuong-truc"], Ct);
        Assert.True(created.IsSuccess);
        Assert.Equal([OfficeRole.BanXayDungDang, OfficeRole.ThuongTruc], created.Value.After.Roles);
        Assert.True(created.Value.After.MustChangePassword);
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync("nguyen.van.a", created.Value.TemporaryPassword, Ct)).State);
        Assert.Equal("taken", (await _desk.CreateAsync("nguyen.van.a", "Khác", ["van-phong"], Ct)).Error!.Fields[0].Code);

        var withCodes = await AccountAsync("thuky", totp: "SECRET");
        var reset = await _desk.ResetAsync("thuky", Ct);
        Assert.Null(reset.Value.After.TotpSecret);
        Assert.NotEqual(withCodes.Stamp, reset.Value.After.Stamp);
        Assert.Null(await _desk.SessionAccountAsync("thuky", withCodes.Stamp, Ct));
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync("thuky", reset.Value.TemporaryPassword, Ct)).State);
    }

    [Fact]
    public async Task A_new_password_needs_the_current_one_ten_characters_and_not_the_name_and_ends_other_sessions()
    {
        var account = await AccountAsync();

        Assert.Equal("wrong", (await _desk.ChangePasswordAsync(account.Name, "sai", "mat-khau-moi-dai", "mat-khau-moi-dai", Ct)).Error!.Fields[0].Code);
        Assert.Equal("too-short", (await _desk.ChangePasswordAsync(account.Name, "mat-khau-dung", "ngan", "ngan", Ct)).Error!.Fields[0].Code);
        Assert.Equal("contains-name", (await _desk.ChangePasswordAsync(account.Name, "mat-khau-dung", "vanphong-2026", "vanphong-2026", Ct)).Error!.Fields[0].Code);
        Assert.Equal("mismatch", (await _desk.ChangePasswordAsync(account.Name, "mat-khau-dung", "mat-khau-moi-dai", "mat-khau-khac-dai", Ct)).Error!.Fields[0].Code);

        var changed = await _desk.ChangePasswordAsync(account.Name, "mat-khau-dung", "mat-khau-moi-dai", "mat-khau-moi-dai", Ct);
        Assert.True(changed.IsSuccess);
        Assert.NotEqual("s1", changed.Value.After.Stamp);
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync("vanphong", "mat-khau-moi-dai", Ct)).State);
    }

    [Fact]
    public async Task Nobody_removes_their_own_administrator_role_or_disables_their_own_account()
    {
        await AccountAsync("quantri", roles: OfficeRole.QuanTri);
        var actor = AccountName.Parse("quantri").Value;

        Assert.Equal("own-administrator", (await _desk.SetRolesAsync(actor, "quantri", ["van-phong"], Ct)).Error!.Fields[0].Code);
        Assert.Equal("own-account", (await _desk.DisableAsync(actor, "quantri", Ct)).Error!.Fields[0].Code);
        Assert.True((await _desk.SetRolesAsync(actor, "quantri", ["quan-tri", "thuong-truc"], Ct)).IsSuccess);
    }

    [Fact]
    public async Task The_first_administrator_is_created_once_from_configuration_and_then_the_stored_account_counts()
    {
        await _desk.EnsureFirstAdministratorAsync("quantri", "mat-khau-cau-hinh", Ct);
        await _desk.EnsureFirstAdministratorAsync("quantri", "mat-khau-khac-nua", Ct);

        var admin = await _desk.FindAsync(AccountName.Parse("quantri").Value, Ct);
        Assert.Equal([OfficeRole.QuanTri], admin!.Roles);
        Assert.Equal(SignInState.SignedIn, (await _desk.CheckPasswordAsync("quantri", "mat-khau-cau-hinh", Ct)).State);
        Assert.Equal(SignInState.Refused, (await _desk.CheckPasswordAsync("quantri", "mat-khau-khac-nua", Ct)).State);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class PlainHashing : IPasswordHashing
    {
        public string Hash(string password) => "h:" + password;

        public PasswordMatch Verify(string hash, string password) => hash == "h:" + password ? PasswordMatch.Right : PasswordMatch.Wrong;
    }

    /// <summary>The code of a 30-second step is the step's last six digits: right for any secret, within one step of now.</summary>
    private sealed class StepCodes : IOneTimeCodes
    {
        public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

        public static string Code(long step) => (step % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        public string NewSecret() => "SECRET";

        public long? Match(string secret, string? code, DateTimeOffset now)
        {
            var step = StepAt(now);
            return new[] { step - 1, step, step + 1 }.Where(s => Code(s) == code).Select(s => (long?)s).FirstOrDefault();
        }
    }

    private sealed class MemoryStore : IAccountStore
    {
        private readonly Dictionary<string, (OfficeAccount Account, int Version)> _rows = [];

        public Task<Versioned<OfficeAccount>?> GetAsync(AccountName name, CancellationToken cancellationToken) =>
            Task.FromResult(_rows.TryGetValue(name.Value, out var row) ? new Versioned<OfficeAccount>(row.Account, new StoredVersion(row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))) : null);

        public Task<IReadOnlyList<OfficeAccount>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<OfficeAccount>>([.. _rows.Values.Select(r => r.Account)]);

        public Task<Result<bool>> WriteAsync(OfficeAccount account, StoredVersion? expectedVersion, CancellationToken cancellationToken)
        {
            var exists = _rows.TryGetValue(account.Name.Value, out var row);
            if (expectedVersion is null ? exists : !exists || row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) != expectedVersion.Value.Token)
            {
                return Task.FromResult(Result<bool>.Failure(Error.Conflict("concurrent-change", "x")));
            }

            _rows[account.Name.Value] = (account, row.Version + 1);
            return Task.FromResult(Result<bool>.Success(true));
        }
    }
}
