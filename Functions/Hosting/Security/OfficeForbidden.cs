using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Hosting.Security;

/// <summary>
/// An office account or key that lacks the role an endpoint needs: 403 with what the endpoint is for
/// — a page in the office's layout (its menu shows only what the roles allow) or problem+json with
/// code <c>forbidden</c> and the roles that may. A person who must change their password first is
/// sent to do that; one whose roles do not include the directives' list is sent to their own home.
/// </summary>
internal sealed class OfficeForbidden : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.GetEndpoint()?.Metadata.GetMetadata<OfficeAccess>() is not { } access)
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var user = context.User;
        var roles = user.OfficeRolesOf();
        var browser = OfficeAuthentication.IsBrowserNavigation(context.Request);
        if (browser && user.MustChangePassword())
        {
            context.Response.Redirect("/office/account");
            return Task.CompletedTask;
        }

        if (browser && context.Request.Path == "/office" && roles.Count > 0)
        {
            context.Response.Redirect(OfficeAuthentication.HomeOf(roles));
            return Task.CompletedTask;
        }

        var message = user.MustChangePassword()
            ? "Đồng chí cần đổi mật khẩu tạm thời trước khi làm việc."
            : $"Việc này dành cho: {OfficeRoles.Names(access.Roles)}. Tài khoản của đồng chí ({(roles.Count > 0 ? OfficeRoles.Names(roles) : "chưa có vai trò")}) không có quyền này; nếu cần, xin đề nghị người quản trị cấp thêm.";
        IResult result = Representations.WantsPage(context.Request, byDefault: false)
            ? PageResults.Render<MessagePage, Message>(
                new Message("Không có quyền truy cập", message, new Link(OfficeAuthentication.HomeOf(roles), "Về trang làm việc của đồng chí"), Office: true),
                StatusCodes.Status403Forbidden)
            : Problems.Problem(StatusCodes.Status403Forbidden, "forbidden", message);
        return result.ExecuteAsync(context);
    }
}
