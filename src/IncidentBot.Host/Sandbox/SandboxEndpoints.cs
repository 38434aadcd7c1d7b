using System.Globalization;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Host.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace IncidentBot.Host.Sandbox;

/// <summary>
/// The sandbox page's routes: read the conversations, and take commands and button clicks into Core on the same path as
/// the Slack and Teams edges (<see cref="CommandParser"/>, then <see cref="IncidentService"/>). Answers go to the asker
/// alone through the outbox, as a private message the adapter writes.
/// </summary>
internal static class SandboxEndpoints
{
    public const int MaxInputLength = 4000;

    /// <summary>The web view's policy plus the one script of this host, which reads this host.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private const int MaxMessages = 500;
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan StoreRecheck = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["too-long"] = $"Messages are limited to {MaxInputLength:N0} characters: nothing was sent.",
        ["name"] = $"Choose a display name of 1 to {SandboxPeople.MaxNameLength} letters, digits, spaces, dots, dashes or apostrophes.",
        ["unknown-button"] = "That button belongs to another version of IncidentBot; use a command instead.",
    };

    public static RouteGroupBuilder MapSandboxRoutes(this RouteGroupBuilder sandbox)
    {
        sandbox.MapGet("", (HttpContext http, string? notice, string? draft, IServiceProvider services, CancellationToken ct) =>
            PageAsync(http, SandboxPlatformName.AnnouncementConversation, notice, draft, services, ct));
        sandbox.MapGet("/c/{id}", (HttpContext http, string id, string? notice, string? draft, IServiceProvider services, CancellationToken ct) =>
            PageAsync(http, id, notice, draft, services, ct));
        sandbox.MapGet("/incidents/{incidentId:long}", IncidentAsync);
        sandbox.MapGet("/c/{id}/wait", WaitAsync);
        sandbox.MapGet("/c/{id}/files/{messageRef}", FileAsync);
        sandbox.MapPost("/c/{id}/send", SendAsync);
        sandbox.MapPost("/c/{id}/act", ActAsync);
        sandbox.MapPost("/name", NameAsync);
        sandbox.MapGet("/sandbox.js", () => SandboxAssets.Script());
        sandbox.MapGet("/sandbox.css", () => SandboxAssets.Stylesheet());
        return sandbox;
    }

    private static async Task<IResult> PageAsync(HttpContext http, string id, string? notice, string? draft, IServiceProvider services, CancellationToken ct)
    {
        var store = services.GetRequiredService<IIncidentStore>();
        var conversations = await ConversationsAsync(store, services.GetRequiredService<TimeProvider>(), ct);
        if (conversations.FirstOrDefault(c => c.Id == id) is not { } selected)
        {
            return TypedResults.NotFound();
        }

        var reader = SandboxPeople.Current(http);
        var messages = await store.ListSandboxMessagesAsync(id, 0, reader?.Id, MaxMessages, ct);
        var token = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken!;
        var view = new SandboxView(conversations, selected, messages, reader, token,
            notice is not null && Notices.TryGetValue(notice, out var text) ? text : null,
            draft == "update" ? "/incident update " : "");
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(SandboxPage.Render(view, services.GetRequiredService<MarkdownRenderer>()), "text/html; charset=utf-8");
    }

    /// <summary>The store's conversations, with the announcements shown before anything was announced.</summary>
    private static async Task<IReadOnlyList<SandboxConversation>> ConversationsAsync(IIncidentStore store, TimeProvider clock, CancellationToken ct)
    {
        var conversations = await store.ListSandboxConversationsAsync(ct);
        var announcements = conversations.FirstOrDefault(c => c.Id == SandboxPlatformName.AnnouncementConversation) ?? SandboxChatPlatform.Announcements(clock);
        return [announcements, .. conversations.Where(c => c.Id != SandboxPlatformName.AnnouncementConversation)];
    }

    /// <summary>An incident's conversation, once it is opened: where an announcement written before that links to.</summary>
    private static async Task<IResult> IncidentAsync(long incidentId, IIncidentStore store, CancellationToken ct) =>
        await store.GetAsync(incidentId, ct) is { Platform: SandboxPlatformName.Value, ConversationId: { } conversation }
            ? TypedResults.Redirect(SandboxChatPlatform.ConversationPath(conversation))
            : TypedResults.NotFound();

    /// <summary>A long poll: answers as soon as the conversation has news for this reader or the list of conversations changed.</summary>
    private static async Task<IResult> WaitAsync(HttpContext http, string id, long after, int count, IIncidentStore store, SandboxFeed feed, TimeProvider clock, CancellationToken ct)
    {
        var reader = SandboxPeople.Current(http);
        var started = clock.GetTimestamp();
        while (true)
        {
            var next = feed.NextWrite;
            var changed = (await store.ListSandboxMessagesAsync(id, after, reader?.Id, 1, ct)).Count > 0
                || (await ConversationsAsync(store, clock, ct)).Count != count;
            var left = LongPoll - clock.GetElapsedTime(started);
            if (changed || left <= TimeSpan.Zero)
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Json(new { changed });
            }

            // Woken by this process's adapter at once; another replica's writes are seen at the next recheck.
            await WaitQuietlyAsync(next, left < StoreRecheck ? left : StoreRecheck, clock, ct);
        }
    }

    private static async Task<IResult> FileAsync(string id, string messageRef, HttpContext http, IIncidentStore store, CancellationToken ct)
    {
        var messages = await store.ListSandboxMessagesAsync(id, 0, SandboxPeople.Current(http)?.Id, MaxMessages, ct);
        return messages.FirstOrDefault(m => m.MessageRef == messageRef)?.File is { } file
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(file.Content), "text/markdown; charset=utf-8", file.Name)
            : TypedResults.NotFound();
    }

    private static async Task<IResult> SendAsync(HttpContext http, string id, IAntiforgery antiforgery, IncidentService service, IIncidentStore store, SandboxFeed feed, TimeProvider clock, CancellationToken ct)
    {
        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var path = SandboxChatPlatform.ConversationPath(id);
        if (SandboxPeople.Current(http) is not { } person)
        {
            return TypedResults.Redirect(path);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var text = form["text"].ToString();
        if (text.Length > MaxInputLength)
        {
            return TypedResults.Redirect($"{path}?notice=too-long");
        }

        var nonce = form["nonce"].ToString();
        var context = new CommandContext(SandboxPlatformName.Value, SandboxPlatformName.Workspace, id, person,
            InboundEventId: nonce.Length is > 0 and <= 64 ? $"sandbox:{nonce}" : null);
        var command = CommandParser.Parse(WithoutPrefix(text), SandboxPeople.MentionsIn(text));
        var reply = await service.ExecuteAsync(command, context, ct);
        var answer = reply.Display switch
        {
            ReplyDisplay.Nothing => null,
            ReplyDisplay.OpenForm => RichText.Of($"Give the incident a title: {Run.Code("/incident declare <title> [sev1..sev4]")}."),
            _ => reply.Text,
        };
        await AnswerAsync(service, store, feed, clock, id, person, answer, After(form), ct);
        return TypedResults.Redirect(path);
    }

    private static async Task<IResult> ActAsync(HttpContext http, string id, IAntiforgery antiforgery, IncidentService service, IIncidentStore store, SandboxFeed feed, TimeProvider clock, CancellationToken ct)
    {
        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var path = SandboxChatPlatform.ConversationPath(id);
        var form = await http.Request.ReadFormAsync(ct);
        var action = form["action"].ToString();
        if (SandboxPeople.Current(http) is not { } person)
        {
            return TypedResults.Redirect(path);
        }

        if (action == ActionIds.PostUpdate)
        {
            // Slack opens a form and Teams shows an input for the text; here the message box gets the command to finish.
            return TypedResults.Redirect($"{path}?draft=update#text");
        }

        if (!long.TryParse(form["value"], NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId) || ActionIds.CommandFor(action) is not { } command)
        {
            return TypedResults.Redirect($"{path}?notice=unknown-button");
        }

        var context = new CommandContext(SandboxPlatformName.Value, SandboxPlatformName.Workspace, id, person) { SourceMessageId = form["message"].ToString() };
        var reply = await service.ExecuteAsync(command, context, incidentId, ct);

        // Refusals ("already acknowledged", a stale button) go to the clicker alone; a change shows on the card for everyone.
        var after = After(form);
        if (reply.Display == ReplyDisplay.Private)
        {
            await AnswerAsync(service, store, feed, clock, id, person, reply.Text, after, ct);
        }
        else if (reply.Changed)
        {
            await WaitForAsync(store, feed, clock, id, person.Id, after, _ => true, ct);
        }

        return TypedResults.Redirect(path);
    }

    private static async Task<IResult> NameAsync(HttpContext http, IAntiforgery antiforgery, IHostEnvironment environment, CancellationToken ct)
    {
        if (await RefusedAsync(http, antiforgery) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync(ct);
        var back = form["return"].ToString() is { } path && path.StartsWith("/sandbox", StringComparison.Ordinal) && !path.Contains("//", StringComparison.Ordinal) ? path : "/sandbox";
        if (SandboxPeople.Normalize(form["name"]) is not { } name)
        {
            return TypedResults.Redirect($"{back}?notice=name");
        }

        http.Response.Cookies.Append(SandboxPeople.NameCookie, name, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = !environment.IsDevelopment() || http.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
            Path = "/sandbox",
        });
        return TypedResults.Redirect(back);
    }

    private static async Task<IResult?> RefusedAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.Text("The form expired or came from another site: reload the page and send again.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>`/incident declare ...` and `declare ...` are the same command, as the Slack and Teams edges see it.</summary>
    internal static string WithoutPrefix(string text)
    {
        var trimmed = text.Trim();
        const string Prefix = "/incident";
        return trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && (trimmed.Length == Prefix.Length || char.IsWhiteSpace(trimmed[Prefix.Length]))
            ? trimmed[Prefix.Length..].TrimStart()
            : trimmed;
    }

    private static long After(IFormCollection form) =>
        long.TryParse(form["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after : 0;

    /// <summary>
    /// The answer goes to the asker alone through the outbox; the redirect waits (a few seconds at most) until the adapter
    /// wrote it, so the page shows it even with JavaScript off.
    /// </summary>
    private static async Task AnswerAsync(IncidentService service, IIncidentStore store, SandboxFeed feed, TimeProvider clock, string id, Person person, RichText? answer, long after, CancellationToken ct)
    {
        if (answer is null)
        {
            return;
        }

        await service.SendAsync([Outgoing.Private(SandboxPlatformName.Value, id, null, person.Id, answer)], null, ct);
        await WaitForAsync(store, feed, clock, id, person.Id, after, m => m.RecipientId == person.Id, ct);
    }

    private static async Task WaitForAsync(IIncidentStore store, SandboxFeed feed, TimeProvider clock, string id, string viewer, long after, Func<SandboxMessage, bool> arrived, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            var next = feed.NextWrite;
            if ((await store.ListSandboxMessagesAsync(id, after, viewer, MaxMessages, ct)).Any(arrived))
            {
                return;
            }

            var left = AnswerWait - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await WaitQuietlyAsync(next, left < StoreRecheck ? left : StoreRecheck, clock, ct);
        }
    }

    private static async Task WaitQuietlyAsync(Task next, TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(timeout, clock, ct);
        }
        catch (TimeoutException)
        {
            // Nothing written in this process meanwhile: the caller reads the store again.
        }
    }
}
