using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Ports;
using IncidentBot.Core.Timeline;
using IncidentBot.Storage.LiteDb;

namespace IncidentBot.Storage.Child;

/// <summary>What the child process does; each change it writes is a declaration with a known shape, so a reader can tell a whole one from a torn one.</summary>
internal static class ChildCommands
{
    /// <summary>Timeline entries each written declaration carries.</summary>
    public const int EntriesPerChange = 3;

    /// <summary>Outbox messages each written declaration carries.</summary>
    public const int MessagesPerChange = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextReader input)
    {
        switch (args)
        {
            case ["hold", var file]:
                using (var store = await OpenAsync(file))
                {
                    await output.WriteLineAsync("ready");
                    await output.FlushAsync();
                    await input.ReadToEndAsync();
                }

                return 0;
            case ["write", var file]:
                using (var store = await OpenAsync(file))
                {
                    await output.WriteLineAsync("ready");
                    while (true)
                    {
                        var (_, incident) = await store.CreateAsync(Draft(), Whole, null, CancellationToken.None);

                        // Printed only after the store said saved: every number read by the parent was acknowledged.
                        await output.WriteLineAsync($"ack {incident!.Number}");
                        await output.FlushAsync();
                    }
                }

            default:
                await Console.Error.WriteLineAsync("usage: hold <file> | write <file>");
                return 64;
        }
    }

    private static async Task<LiteDbIncidentStore> OpenAsync(string connectionString)
    {
        var store = new LiteDbIncidentStore(connectionString, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    private static Incident Draft() => new()
    {
        Platform = "slack",
        WorkspaceId = "T1",
        Title = "crash loop",
        Commander = new Person("U1", "Ada"),
        DeclaredBy = new Person("U1", "Ada"),
        Version = 1,
    };

    private static IncidentChange Whole(Incident incident) => new()
    {
        Incident = incident,
        Entries = Enumerable.Range(0, EntriesPerChange)
            .Select(i => new TimelineEntry { At = incident.DeclaredAt, Kind = TimelineKind.Note, Actor = incident.Commander, Text = $"{incident.Number}/{i}" })
            .ToList(),
        Messages = Enumerable.Range(0, MessagesPerChange)
            .Select(i => new OutgoingMessage { Platform = "slack", Operation = ChatOperation.Post, ConversationId = $"C{incident.Number}", Message = new ChatMessage { Text = $"{incident.Number}/{i}" } })
            .ToList(),
    };
}
