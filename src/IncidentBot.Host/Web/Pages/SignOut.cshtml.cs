using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IncidentBot.Host.Web.Pages;

/// <summary>Sign-out: a button (a form with the antiforgery token), so no link elsewhere can sign anyone out.</summary>
internal sealed class SignOutModel : PageModel
{
    public bool SignedOut { get; private set; }

    public async Task OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        SignedOut = true;
    }
}
