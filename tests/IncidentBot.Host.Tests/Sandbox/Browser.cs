using System.Text.RegularExpressions;

namespace IncidentBot.Host.Tests.Sandbox;

/// <summary>A browser without JavaScript: its cookies, the page's forms posted with their hidden fields, redirects followed.</summary>
internal sealed partial class Browser(HttpClient client) : IDisposable
{
    public HttpClient Client => client;

    public async Task<string> GetAsync(string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form with the antiforgery token of <paramref name="page"/> (none when the page has none).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string page, params (string Name, string Value)[] fields)
    {
        var values = fields.ToList();
        if (Token().Match(page) is { Success: true } token)
        {
            values.Add(("__RequestVerificationToken", token.Groups[1].Value));
        }

        return client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(values.Select(v => KeyValuePair.Create(v.Name, v.Value))));
    }

    /// <summary>Types <paramref name="text"/> into the message box of <paramref name="path"/>, sends it, and returns the page it lands on.</summary>
    public async Task<string> SendAsync(string path, string text, string? page = null)
    {
        page ??= await GetAsync(path);
        var action = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+/send)\"").Groups[1].Value;
        var after = Regex.Match(page, "<input type=\"hidden\" name=\"after\" value=\"(\\d+)\">").Groups[1].Value;
        var nonce = Regex.Match(page, "<input type=\"hidden\" name=\"nonce\" value=\"([^\"]+)\">").Groups[1].Value;
        using var response = await PostAsync(action, page, ("text", text), ("after", after), ("nonce", nonce));
        return await GetAsync(response.Headers.Location!.ToString());
    }

    /// <summary>Clicks the first button of <paramref name="actionId"/> on <paramref name="page"/>, and returns the page it lands on.</summary>
    public async Task<string> ClickAsync(string path, string page, string actionId)
    {
        var button = Regex.Matches(page, $"<form method=\"post\" action=\"{Regex.Escape(path)}/act\">(?:(?!</form>).)*?name=\"action\" value=\"{Regex.Escape(actionId)}\">(?:(?!</form>).)*</form>", RegexOptions.Singleline)
            .First().Value;
        var fields = Regex.Matches(button, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .Where(m => m.Groups[1].Value != "__RequestVerificationToken")
            .Select(m => (m.Groups[1].Value, System.Net.WebUtility.HtmlDecode(m.Groups[2].Value)))
            .ToArray();
        using var response = await PostAsync($"{path}/act", page, fields);
        return await GetAsync(response.Headers.Location!.ToString());
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
