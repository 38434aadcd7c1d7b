using IncidentBot.Core.Incidents;
using IncidentBot.Core.Ports;

namespace IncidentBot.Storage.Tests.Contract;

/// <summary>The web view's reads: the filtered, paged incident list and the incidents of an insights range.</summary>
public abstract partial class IncidentStoreContract
{
    private async Task<Incident> DeclareAsync(string title, Severity severity, IncidentState state, string workspace = "T1")
    {
        var draft = Draft(workspace) with { Title = title, Severity = severity };
        var (_, created) = await Store.CreateAsync(draft, i => new IncidentChange { Incident = i }, null, CancellationToken.None);
        if (state != IncidentState.Declared)
        {
            var next = created! with
            {
                State = state,
                Version = created.Version + 1,
                AcknowledgedAt = Clock.GetUtcNow(),
                ResolvedAt = state == IncidentState.Resolved ? Clock.GetUtcNow() : null,
            };
            Assert.That(await Store.SaveAsync(IncidentChange.KeepingReminder(next), CancellationToken.None), Is.EqualTo(SaveResult.Saved));
            created = next;
        }

        Clock.Advance(TimeSpan.FromMinutes(1));
        return created!;
    }

    [Test]
    public async Task SearchIncidents_OpenFirstThenNewest_PagedWithTotal()
    {
        var oldOpen = await DeclareAsync("Old open", Severity.Sev2, IncidentState.Acknowledged);
        var resolved = await DeclareAsync("Resolved one", Severity.Sev1, IncidentState.Resolved);
        var newOpen = await DeclareAsync("New open", Severity.Sev3, IncidentState.Declared);
        var newestResolved = await DeclareAsync("Resolved two", Severity.Sev3, IncidentState.Resolved);

        var all = await Store.SearchIncidentsAsync(new IncidentSearch { Take = 10 }, CancellationToken.None);
        var second = await Store.SearchIncidentsAsync(new IncidentSearch { Skip = 1, Take = 2 }, CancellationToken.None);
        var last = await Store.SearchIncidentsAsync(new IncidentSearch { Skip = 3, Take = 5 }, CancellationToken.None);
        var beyond = await Store.SearchIncidentsAsync(new IncidentSearch { Skip = 9, Take = 5 }, CancellationToken.None);
        var resolvedOnly = await Store.SearchIncidentsAsync(new IncidentSearch { State = IncidentState.Resolved, Skip = 1 }, CancellationToken.None);

        Assert.That(all.Incidents.Select(i => i.Id), Is.EqualTo(new[] { newOpen.Id, oldOpen.Id, newestResolved.Id, resolved.Id }));
        Assert.That(all.Total, Is.EqualTo(4));
        Assert.That(second.Incidents.Select(i => i.Id), Is.EqualTo(new[] { oldOpen.Id, newestResolved.Id }));
        Assert.That(second.Total, Is.EqualTo(4));
        Assert.That(second.Incidents[0].Title, Is.EqualTo("Old open"), "whole incidents come back");
        Assert.That(last.Incidents.Select(i => i.Id), Is.EqualTo(new[] { resolved.Id }));
        Assert.That(beyond.Incidents, Is.Empty);
        Assert.That(beyond.Total, Is.EqualTo(4));
        Assert.That(resolvedOnly.Incidents.Select(i => i.Id), Is.EqualTo(new[] { resolved.Id }));
        Assert.That(resolvedOnly.Total, Is.EqualTo(2));
    }

    [Test]
    public async Task SearchIncidents_Filters_StateSeverityWorkspaceAndTitleText()
    {
        var checkout = await DeclareAsync("Checkout 50% errors", Severity.Sev1, IncidentState.Declared);
        await DeclareAsync("Login slow", Severity.Sev2, IncidentState.Declared);
        var resolved = await DeclareAsync("CHECKOUT latency", Severity.Sev2, IncidentState.Resolved);
        var elsewhere = await DeclareAsync("checkout in T2", Severity.Sev1, IncidentState.Declared, "T2");

        async Task<long[]> IdsAsync(IncidentSearch search) =>
            (await Store.SearchIncidentsAsync(search, CancellationToken.None)).Incidents.Select(i => i.Id).ToArray();

        Assert.That(await IdsAsync(new() { Text = "checkout" }), Is.EquivalentTo(new[] { checkout.Id, resolved.Id, elsewhere.Id }), "case-insensitive");
        Assert.That(await IdsAsync(new() { Text = "50%" }), Is.EqualTo(new[] { checkout.Id }), "% is literal");
        Assert.That(await IdsAsync(new() { Text = "_" }), Is.Empty, "_ is literal");
        Assert.That(await IdsAsync(new() { Text = "checkout", State = IncidentState.Resolved }), Is.EqualTo(new[] { resolved.Id }));
        Assert.That(await IdsAsync(new() { Severity = Severity.Sev1 }), Is.EquivalentTo(new[] { checkout.Id, elsewhere.Id }));
        Assert.That(await IdsAsync(new() { Platform = "slack", WorkspaceId = "T2" }), Is.EqualTo(new[] { elsewhere.Id }));
        Assert.That(await IdsAsync(new() { WorkspaceId = "T2" }), Is.EqualTo(new[] { elsewhere.Id }));
        Assert.That(await IdsAsync(new() { Platform = "teams" }), Is.Empty);
        Assert.That((await Store.SearchIncidentsAsync(new() { Severity = Severity.Sev2, Take = 1 }, CancellationToken.None)).Total, Is.EqualTo(2));
    }

    [Test]
    public async Task ListDeclaredSince_OnlyThoseDeclaredFromTheInstant_OldestFirst()
    {
        await DeclareAsync("Before", Severity.Sev2, IncidentState.Declared);
        var since = Clock.GetUtcNow();
        var first = await DeclareAsync("First", Severity.Sev2, IncidentState.Resolved);
        var second = await DeclareAsync("Second", Severity.Sev1, IncidentState.Declared, "T2");

        var all = await Store.ListDeclaredSinceAsync(since, null, null, CancellationToken.None);
        var one = await Store.ListDeclaredSinceAsync(since, "slack", "T2", CancellationToken.None);

        Assert.That(all.Select(i => i.Id), Is.EqualTo(new[] { first.Id, second.Id }));
        Assert.That(all[0].ResolvedAt, Is.EqualTo(first.ResolvedAt));
        Assert.That(one.Select(i => i.Id), Is.EqualTo(new[] { second.Id }));
    }
}
