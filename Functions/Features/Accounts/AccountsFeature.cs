using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Accounts;

/// <summary>
/// Administrators' pages (role quản trị): <c>GET/POST /office/accounts</c> (OfficeAccounts: every
/// account; add one, which gets a temporary password shown once), <c>POST /office/accounts/{name}</c>
/// (OfficeAccountChange: its roles, disable, enable, reset — a new temporary password, second factor
/// and lockout cleared, sessions ended), <c>GET/POST /office/keys</c> (OfficeKeys: programs' keys;
/// a new key is shown once) and <c>POST /office/keys/{id}</c> (OfficeKeyRevoke). Every change is in
/// the audit trail with the account's fields before and after.
/// </summary>
public static class AccountsFeature
{
    public const long MaxFormBody = 16 * 1024;

    public static IServiceCollection AddAccounts(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/office").RequireOfficeRole(OfficeRole.QuanTri);
        admin.MapGet("/accounts", async (string? xong, AccountDesk accounts, TimeProvider time, CancellationToken cancellationToken) =>
            await AccountsPageAsync(accounts, time, new AccountsNotice { Done = AccountName.Parse(xong).IsSuccess ? $"Đã lưu thay đổi của tài khoản {xong}." : null, Name = xong }, StatusCodes.Status200OK, cancellationToken))
            .WithName("OfficeAccounts").AsPage();
        admin.MapPost("/accounts", CreateAsync).WithName("OfficeAccountsPost").WithFormBody<AccountForm>(MaxFormBody).AsPage();
        admin.MapPost("/accounts/{name}", ChangeAsync).WithName("OfficeAccountChange").WithFormBody<AccountForm>(MaxFormBody).AsPage();
        admin.MapGet("/keys", async (ProgramKeyRing keys, IOptionsMonitor<OfficeOptions> office, CancellationToken cancellationToken) =>
            await KeysPageAsync(keys, office, new KeysNotice(), StatusCodes.Status200OK, cancellationToken)).WithName("OfficeKeys").AsPage();
        admin.MapPost("/keys", CreateKeyAsync).WithName("OfficeKeysPost").WithFormBody<AccountForm>(MaxFormBody).AsPage();
        admin.MapPost("/keys/{id}", RevokeKeyAsync).WithName("OfficeKeyRevoke").WithFormBody<AccountForm>(MaxFormBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> CreateAsync(
        Body<AccountForm> body, ClaimsPrincipal user, AccountDesk accounts, OfficeAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return await AccountsPageAsync(accounts, time, new AccountsNotice { Error = refused.AsError() }, refused.Status, cancellationToken);
        }

        var form = body.Value;
        var created = await accounts.CreateAsync(form.Name, form.DisplayName, form.Roles, cancellationToken);
        if (!created.IsSuccess)
        {
            return await AccountsPageAsync(accounts, time, new AccountsNotice { Typed = form, Error = created.Error }, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var account = created.Value.After;
        await audit.RecordAsync(user, AuditAction.AccountCreated, cancellationToken, subject: account.Name.Value, changes: AuditChange.Between(null, account.Describe()));
        return await AccountsPageAsync(
            accounts,
            time,
            new AccountsNotice { Done = $"Đã tạo tài khoản {account.Name.Value} ({account.DisplayName}).", Name = account.Name.Value, TemporaryPassword = created.Value.TemporaryPassword },
            StatusCodes.Status200OK,
            cancellationToken);
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> ChangeAsync(
        string name, Body<AccountForm> body, ClaimsPrincipal user, AccountDesk accounts, OfficeAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return await AccountsPageAsync(accounts, time, new AccountsNotice { Error = refused.AsError(), Name = name }, refused.Status, cancellationToken);
        }

        var actor = user.AccountOf();
        if (actor is null)
        {
            return await AccountsPageAsync(accounts, time, new AccountsNotice { Error = Error.Validation("name", "program", "Chỉ cán bộ đăng nhập bằng tài khoản mới thay đổi được tài khoản."), Name = name }, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var (action, changed) = body.Value.Action switch
        {
            AccountForm.SetRolesAction => (AuditAction.AccountRolesChanged, await accounts.SetRolesAsync(actor.Value, name, body.Value.Roles, cancellationToken)),
            AccountForm.DisableAction => (AuditAction.AccountDisabled, await accounts.DisableAsync(actor.Value, name, cancellationToken)),
            AccountForm.EnableAction => (AuditAction.AccountEnabled, await accounts.EnableAsync(name, cancellationToken)),
            AccountForm.ResetAction => (AuditAction.AccountReset, await accounts.ResetAsync(name, cancellationToken)),
            _ => (AuditAction.AccountRolesChanged, Result<AccountChange>.Failure(Error.Validation("action", "invalid-action", "Không rõ thao tác cần làm."))),
        };
        if (!changed.IsSuccess)
        {
            return await AccountsPageAsync(accounts, time, new AccountsNotice { Error = changed.Error, Name = name }, changed.Error!.Kind == ErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, cancellationToken);
        }

        var (before, after, temporary) = (changed.Value.Before!, changed.Value.After, changed.Value.TemporaryPassword);
        await audit.RecordAsync(user, action, cancellationToken, subject: after.Name.Value, changes: AuditChange.Between(before.Describe(), after.Describe()));
        return temporary is not null
            ? await AccountsPageAsync(accounts, time, new AccountsNotice { Done = $"Đã cấp lại mật khẩu cho {after.Name.Value}; mọi phiên đăng nhập của tài khoản này đã kết thúc.", Name = after.Name.Value, TemporaryPassword = temporary }, StatusCodes.Status200OK, cancellationToken)
            : new SeeOther($"/office/accounts?xong={Uri.EscapeDataString(after.Name.Value)}#a-{Uri.EscapeDataString(after.Name.Value)}");
    }

    private static async Task<RazorComponentResult> CreateKeyAsync(
        Body<AccountForm> body, ClaimsPrincipal user, ProgramKeyRing keys, IOptionsMonitor<OfficeOptions> office, OfficeAudit audit, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return await KeysPageAsync(keys, office, new KeysNotice { Error = refused.AsError() }, refused.Status, cancellationToken);
        }

        var created = await keys.CreateAsync(body.Value.Name, body.Value.Roles, user.Identity?.Name ?? "?", cancellationToken);
        if (!created.IsSuccess)
        {
            return await KeysPageAsync(keys, office, new KeysNotice { Typed = body.Value, Error = created.Error }, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var key = created.Value.Key;
        await audit.RecordAsync(user, AuditAction.KeyCreated, cancellationToken, subject: key.Id, summary: key.Name,
            changes: [new AuditChange("Vai trò", null, OfficeRoles.Names(key.Roles))]);
        return await KeysPageAsync(keys, office, new KeysNotice { Done = $"Đã tạo khóa “{key.Name}”.", Secret = created.Value.Secret }, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<RazorComponentResult> RevokeKeyAsync(
        string id, ClaimsPrincipal user, ProgramKeyRing keys, IOptionsMonitor<OfficeOptions> office, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var revoked = await keys.RevokeAsync(id, office.CurrentValue.ApiKey, user.Identity?.Name ?? "?", cancellationToken);
        if (!revoked.IsSuccess)
        {
            return await KeysPageAsync(keys, office, new KeysNotice { Error = revoked.Error }, StatusCodes.Status404NotFound, cancellationToken);
        }

        var (before, after) = revoked.Value;
        if (!before.Revoked)
        {
            await audit.RecordAsync(user, AuditAction.KeyRevoked, cancellationToken, subject: after.Id, summary: after.Name,
                changes: [new AuditChange("Trạng thái", "đang dùng", "đã thu hồi")]);
        }

        return await KeysPageAsync(keys, office, new KeysNotice { Done = $"Đã thu hồi khóa “{after.Name}”: chương trình dùng khóa này không truy cập được nữa." }, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<RazorComponentResult> AccountsPageAsync(AccountDesk accounts, TimeProvider time, AccountsNotice notice, int status, CancellationToken cancellationToken)
    {
        var all = (await accounts.ListAsync(cancellationToken)).OrderBy(a => a.Name.Value, StringComparer.Ordinal).ToList();
        return PageResults.Render<AccountsPage, AccountsModel>(new AccountsModel(all, notice, time.GetUtcNow()), status);
    }

    private static async Task<RazorComponentResult> KeysPageAsync(ProgramKeyRing keys, IOptionsMonitor<OfficeOptions> office, KeysNotice notice, int status, CancellationToken cancellationToken) =>
        PageResults.Render<KeysPage, KeysModel>(new KeysModel(await keys.ListAsync(office.CurrentValue.ApiKey, cancellationToken), notice), status);
}

/// <summary>The accounts' and keys' forms: a name, a person's name, roles (check boxes), and which action a button asked for.</summary>
public sealed record AccountForm(string? Name, string? DisplayName, IReadOnlyList<string?> Roles, string? Action) : IRequestBody<AccountForm>
{
    public const string SetRolesAction = "roles";
    public const string DisableAction = "disable";
    public const string EnableAction = "enable";
    public const string ResetAction = "reset";

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static AccountForm FromForm(IFormCollection form) => new(form["name"], form["displayName"], [.. form["roles"]], form["action"]);

    public bool Checked(OfficeRole role) => Roles.Contains(OfficeRoles.Code(role));
}

/// <summary>What the accounts page says besides the list: what was done (and a temporary password, shown once), or what went wrong for which account, with what was typed.</summary>
public sealed record AccountsNotice
{
    public string? Done { get; init; }

    public string? Name { get; init; }

    public string? TemporaryPassword { get; init; }

    public Error? Error { get; init; }

    public AccountForm? Typed { get; init; }
}

public sealed record AccountsModel(IReadOnlyList<OfficeAccount> Accounts, AccountsNotice Notice, DateTimeOffset Now)
{
    public const string Title = "Tài khoản cán bộ";

    public static string FieldName(string field) => field switch
    {
        "name" => "Tên đăng nhập",
        "displayName" => "Họ và tên",
        "roles" => "Vai trò",
        _ => "Thông tin",
    };
}

public sealed record KeysNotice
{
    public string? Done { get; init; }

    public string? Secret { get; init; }

    public Error? Error { get; init; }

    public AccountForm? Typed { get; init; }
}

public sealed record KeysModel(IReadOnlyList<ProgramKey> Keys, KeysNotice Notice)
{
    public const string Title = "Khóa truy cập của chương trình";

    public static string FieldName(string field) => field switch
    {
        "name" => "Tên chương trình",
        "roles" => "Vai trò",
        _ => "Thông tin",
    };
}
