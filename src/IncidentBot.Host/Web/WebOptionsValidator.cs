using Microsoft.Extensions.Options;

namespace IncidentBot.Host.Web;

/// <summary>Start-up checks of <see cref="WebOptions"/>: each failure names its key.</summary>
internal sealed class WebOptionsValidator(IHostEnvironment environment) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var failures = new List<string>();
        if (options.AllowAnonymousLoopback && !environment.IsDevelopment())
        {
            failures.Add($"{WebOptions.Section}:AllowAnonymousLoopback is allowed only in Development (the environment is {environment.EnvironmentName}).");
        }

        if (!string.IsNullOrWhiteSpace(options.Oidc.Authority) && !Uri.TryCreate(options.Oidc.Authority, UriKind.Absolute, out _))
        {
            failures.Add($"{WebOptions.Section}:Oidc:Authority must be an absolute URL, like https://slack.com.");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && !(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme is "http" or "https"))
        {
            failures.Add($"{WebOptions.Section}:PublicBaseUrl must be an absolute http(s) URL, like https://incidents.example.com.");
        }

        if (string.IsNullOrWhiteSpace(options.Oidc.Authority) != string.IsNullOrWhiteSpace(options.Oidc.ClientId))
        {
            failures.Add($"{WebOptions.Section}:Oidc:Authority and {WebOptions.Section}:Oidc:ClientId must be set together.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
