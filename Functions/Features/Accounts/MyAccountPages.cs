using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Accounts;

/// <summary>
/// A person's own account, whatever their roles: <c>GET/POST /office/account</c> (MyAccount). They
/// change their password (first of all, when it is a temporary one) and turn the second factor on —
/// a secret shown as a QR code and as text, confirmed by a code from the app before it counts — or off
/// with their password. A new password ends their other sessions; this one is renewed.
/// </summary>
public static class MyAccountPages
{
    public const string PasswordAction = "password";
    public const string StartCodesAction = "totp-start";
    public const string ConfirmCodesAction = "totp-confirm";
    public const string StopCodesAction = "totp-off";
    private const string EnrolmentPurpose = "office-totp-enrolment";
    private const string Issuer = "Theo dõi công văn";

    public static IEndpointRouteBuilder MapMyAccount(this IEndpointRouteBuilder app)
    {
        var own = app.MapGroup("/office/account").RequireOfficeAccount();
        own.MapGet("/", ShowAsync).WithName("MyAccount").AsPage();
        own.MapPost("/", ChangeAsync).WithName("MyAccountPost").WithFormBody<MyAccountForm>(AccountsFeature.MaxFormBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(string? xong, ClaimsPrincipal user, AccountDesk accounts, CancellationToken cancellationToken) =>
        await PageAsync(user, accounts, new MyAccountNotice { Done = xong switch
        {
            "mat-khau" => "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản này đã kết thúc.",
            "hai-lop" => "Đã bật xác thực hai lớp: từ lần đăng nhập sau, nhập thêm mã trên ứng dụng.",
            "tat-hai-lop" => "Đã tắt xác thực hai lớp.",
            _ => null,
        } }, StatusCodes.Status200OK, cancellationToken);

    private static async Task<Results<SeeOther, RazorComponentResult>> ChangeAsync(
        Body<MyAccountForm> body, HttpContext context, AccountDesk accounts, IDataProtectionProvider protection, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var user = context.User;
        if (body.Refusal is { } refused)
        {
            return await PageAsync(user, accounts, new MyAccountNotice { Error = refused.AsError() }, refused.Status, cancellationToken);
        }

        var name = user.AccountOf()!.Value;
        var form = body.Value;
        switch (form.Action)
        {
            case PasswordAction:
                var changed = await accounts.ChangePasswordAsync(name, form.CurrentPassword, form.NewPassword, form.RepeatPassword, cancellationToken);
                if (!changed.IsSuccess)
                {
                    return await PageAsync(user, accounts, new MyAccountNotice { Error = changed.Error, Section = PasswordAction }, StatusCodes.Status400BadRequest, cancellationToken);
                }

                await context.SignInAsync(OfficeAuthentication.CookieScheme, OfficeAuthentication.AccountPrincipal(changed.Value.After, OfficeAuthentication.CookieScheme));
                await audit.RecordAsync(user, AuditAction.PasswordChanged, cancellationToken, subject: name.Value);
                return new SeeOther(changed.Value.Before!.MustChangePassword ? OfficeAuthentication.HomeOf(changed.Value.After.Roles) : "/office/account?xong=mat-khau");

            case StartCodesAction:
                var secret = accounts.NewSecondFactorSecret();
                return await PageAsync(user, accounts, new MyAccountNotice { Enrolment = Enrolment(name, secret, protection) }, StatusCodes.Status200OK, cancellationToken);

            case ConfirmCodesAction:
                string? pending = null;
                try
                {
                    pending = Enrolments(protection).Unprotect(form.Ticket ?? string.Empty);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    // Expired or tampered with: start again.
                }

                if (pending is null)
                {
                    return await PageAsync(user, accounts, new MyAccountNotice { Error = Error.Validation("code", "expired", "Đã quá 10 phút kể từ khi hiện mã QR. Xin bấm bật lại."), Section = StartCodesAction }, StatusCodes.Status400BadRequest, cancellationToken);
                }

                var enabled = await accounts.EnableSecondFactorAsync(name, pending, form.Code, cancellationToken);
                if (!enabled.IsSuccess)
                {
                    return await PageAsync(user, accounts, new MyAccountNotice { Error = enabled.Error, Enrolment = Enrolment(name, pending, protection) }, StatusCodes.Status400BadRequest, cancellationToken);
                }

                await audit.RecordAsync(user, AuditAction.SecondFactorEnabled, cancellationToken, subject: name.Value);
                return new SeeOther("/office/account?xong=hai-lop");

            case StopCodesAction:
                var stopped = await accounts.DisableSecondFactorAsync(name, form.CurrentPassword, cancellationToken);
                if (!stopped.IsSuccess)
                {
                    return await PageAsync(user, accounts, new MyAccountNotice { Error = stopped.Error, Section = StopCodesAction }, StatusCodes.Status400BadRequest, cancellationToken);
                }

                await audit.RecordAsync(user, AuditAction.SecondFactorDisabled, cancellationToken, subject: name.Value);
                return new SeeOther("/office/account?xong=tat-hai-lop");

            default:
                return await PageAsync(user, accounts, new MyAccountNotice { Error = Error.Validation("action", "invalid-action", "Không rõ thao tác cần làm.") }, StatusCodes.Status400BadRequest, cancellationToken);
        }
    }

    private static async Task<RazorComponentResult> PageAsync(ClaimsPrincipal user, AccountDesk accounts, MyAccountNotice notice, int status, CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(user.AccountOf()!.Value, cancellationToken);
        return account is null
            ? PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy tài khoản"), StatusCodes.Status404NotFound)
            : PageResults.Render<MyAccountPage, MyAccountModel>(new MyAccountModel(account, notice), status);
    }

    /// <summary>What the app needs: the secret as an otpauth URI (in a QR code) and as text, and the ticket that carries it back for ten minutes.</summary>
    private static SecondFactorEnrolment Enrolment(AccountName name, string secret, IDataProtectionProvider protection)
    {
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(name.Value)}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var grouped = string.Join(' ', secret.Chunk(4).Select(c => new string(c)));
        return new SecondFactorEnrolment(grouped, new SvgQRCode(data).GetGraphic(5), Enrolments(protection).Protect(secret, TimeSpan.FromMinutes(10)));
    }

    private static ITimeLimitedDataProtector Enrolments(IDataProtectionProvider protection) =>
        protection.CreateProtector(EnrolmentPurpose).ToTimeLimitedDataProtector();
}

/// <summary>The own-account page's forms: which action, the passwords, the code and the enrolment's ticket.</summary>
public sealed record MyAccountForm(string? Action, string? CurrentPassword, string? NewPassword, string? RepeatPassword, string? Code, string? Ticket) : IRequestBody<MyAccountForm>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static MyAccountForm FromForm(IFormCollection form) =>
        new(form["action"], form["currentPassword"], form["newPassword"], form["repeatPassword"], form["code"], form["ticket"]);
}

/// <summary>Turning the second factor on: the secret grouped by four, the QR code (SVG, no script), the ticket.</summary>
public sealed record SecondFactorEnrolment(string Secret, string QrSvg, string Ticket);

public sealed record MyAccountNotice
{
    public string? Done { get; init; }

    public Error? Error { get; init; }

    /// <summary>The form the problem belongs to.</summary>
    public string? Section { get; init; }

    public SecondFactorEnrolment? Enrolment { get; init; }
}

public sealed record MyAccountModel(OfficeAccount Account, MyAccountNotice Notice)
{
    public const string Title = "Tài khoản của tôi";

    public static string FieldName(string field) => field switch
    {
        "currentPassword" => "Mật khẩu hiện tại",
        "password" => "Mật khẩu",
        "newPassword" => "Mật khẩu mới",
        "repeatPassword" => "Nhập lại mật khẩu mới",
        "code" => "Mã xác thực",
        _ => "Thông tin",
    };
}
