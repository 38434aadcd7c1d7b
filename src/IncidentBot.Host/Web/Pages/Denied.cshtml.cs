using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>Why someone is not let in: another workspace, a sign-in that failed, or no sign-in configured.</summary>
internal sealed class DeniedModel(Microsoft.Extensions.Options.IOptions<WebOptions> options) : PageModel
{
    public string Reason { get; private set; } = "";

    public void OnGet(string? why)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Reason = why switch
        {
            "workspace" => "You signed in, but with an account of a workspace or tenant this IncidentBot does not serve. Sign in with an account of the bot's own workspace.",
            "signin" => "The sign-in could not be completed: the identity provider's answer was refused. Try signing in again from the start.",
            _ when !options.Value.IsOidcConfigured => "Sign-in is not configured (IncidentBot:Web:Oidc:Authority), and only this machine may look without it.",
            _ => "Your account may not see this page.",
        };
    }
}
