using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Service;
using IncidentBot.Host.Sandbox;
using IncidentBot.Host.Web;
using IncidentBot.PlatformContract;

namespace IncidentBot.Host.Tests.Sandbox;

/// <summary>
/// The chat platform contract against the sandbox: the adapter writes the store's sandbox tables, and what a person
/// sees is the sandbox page rendered from them (its HTML read back). Its transient failure is a busy store; a store
/// says nothing about when to try again, so a throttled failure carries no Retry-After here. The sandbox has no archive.
/// </summary>
public sealed class SandboxChatPlatformContractTests : ChatPlatformContract
{
    protected override Person Ada { get; } = SandboxPeople.From("Ada Lovelace");

    protected override Person Grace { get; } = SandboxPeople.From("Grace Hopper");

    protected override Task<PlatformUnderTest> StartAsync(IIncidentStore store, TimeProvider clock) =>
        Task.FromResult<PlatformUnderTest>(new SandboxUnderTest(store, clock, [Ada, Grace]));

    private sealed class SandboxUnderTest : PlatformUnderTest
    {
        private readonly IIncidentStore _store;
        private readonly FlakyStore _faults;
        private readonly IReadOnlyList<Person> _people;
        private readonly MarkdownRenderer _markdown = new();

        public SandboxUnderTest(IIncidentStore store, TimeProvider clock, IReadOnlyList<Person> people)
        {
            _store = store;
            _people = people;
            (var flaky, _faults) = FlakyStore.Over(store);
            Platform = new SandboxChatPlatform(flaky, new SandboxFeed(), clock);
        }

        public override IChatPlatform Platform { get; }

        public override PlatformSettings Settings => SandboxExtensions.Settings;

        public override string Workspace => SandboxPlatformName.Workspace;

        public override TimeSpan? ThrottledRetryAfter => null;

        public override int CallFaultsLeft => _faults.Faults.Left;

        public override void FailCalls(int after, int count, bool throttled) => _faults.Arm(after, count);

        /// <summary>The store is the rig's, which disposes it.</summary>
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public override async Task<IReadOnlyList<string>> IncidentConversationsAsync() =>
            (await _store.ListSandboxConversationsAsync(CancellationToken.None)).Select(c => c.Id).Where(id => id != SandboxPlatformName.AnnouncementConversation).ToList();

        public override async Task<string?> TopicAsync(string conversationId) =>
            (await _store.ListSandboxConversationsAsync(CancellationToken.None)).FirstOrDefault(c => c.Id == conversationId)?.Topic;

        /// <summary>The page <paramref name="viewer"/> gets for the conversation, read back as they see it.</summary>
        public override async Task<IReadOnlyList<SeenMessage>> SeenAsync(string conversationId, Person viewer)
        {
            var conversations = await _store.ListSandboxConversationsAsync(CancellationToken.None);
            if (conversations.FirstOrDefault(c => c.Id == conversationId) is not { } selected)
            {
                return [];
            }

            var messages = await _store.ListSandboxMessagesAsync(conversationId, 0, viewer.Id, 500, CancellationToken.None);
            var html = SandboxPage.Render(new SandboxView(conversations, selected, messages, viewer, "contract-token", null, ""), _markdown);
            var page = await new HtmlParser().ParseDocumentAsync(html);
            foreach (var lineBreak in page.QuerySelectorAll("br").ToList())
            {
                lineBreak.Replace(page.CreateTextNode("\n"));
            }

            var seen = new List<SeenMessage>();
            foreach (var item in page.QuerySelectorAll("ol#messages > li"))
            {
                var messageRef = item.Id!["msg-".Length..];
                seen.Add(await MessageAsync(item, messageRef, messages.Single(m => m.MessageRef == messageRef)));
            }

            return seen;
        }

        private async Task<SeenMessage> MessageAsync(IElement item, string messageRef, SandboxMessage stored)
        {
            var text = string.Join('\n', item.QuerySelectorAll("h2.title, p.text, p.file, details summary").Select(e => e.TextContent));
            var linked = new List<string>();
            foreach (var href in item.QuerySelectorAll("p.text a[href]").Select(a => a.GetAttribute("href")!))
            {
                if (href.StartsWith("/sandbox/c/", StringComparison.Ordinal))
                {
                    linked.Add(Uri.UnescapeDataString(href["/sandbox/c/".Length..]));
                }
                else if (href.StartsWith("/sandbox/incidents/", StringComparison.Ordinal)
                    && await _store.GetAsync(long.Parse(href["/sandbox/incidents/".Length..], CultureInfo.InvariantCulture), CancellationToken.None) is { ConversationId: { } opened })
                {
                    // Followed, the page sends the reader on to the incident's conversation.
                    linked.Add(opened);
                }
            }

            var download = item.QuerySelector("p.file a[download]");
            return new SeenMessage(messageRef, text)
            {
                Fields = item.QuerySelectorAll("dl.fields > div").Select(d => new MessageField(d.QuerySelector("dt")!.TextContent, d.QuerySelector("dd")!.TextContent)).ToList(),
                Buttons = item.QuerySelectorAll("div.buttons form").Select(f => new SeenButton(
                    f.QuerySelector("button")!.TextContent,
                    f.QuerySelector("input[name=action]")!.GetAttribute("value")!,
                    f.QuerySelector("input[name=value]")!.GetAttribute("value")!)).ToList(),
                Mentions = item.QuerySelectorAll("span.mention").Select(m => m.TextContent.TrimStart('@'))
                    .Select(name => new SeenMention(_people.FirstOrDefault(p => p.Name == name)?.Id, name)).ToList(),
                LinkedConversations = linked,

                // What the download link serves: the file as stored.
                File = download is null ? null : new SeenFile(download.GetAttribute("download"), stored.File!.Content),
            };
        }
    }
}
