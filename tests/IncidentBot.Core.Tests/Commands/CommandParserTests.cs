using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Notes;
using IncidentBot.Core.Postmortems;
using IncidentBot.Core.Roles;
using IncidentBot.Core.StatusUpdates;

namespace IncidentBot.Core.Tests.Commands;

public sealed class CommandParserTests
{
    [Test]
    public void Parse_DeclareWithTokensAnywhere_SplitsTitleSeverityAndType()
    {
        var command = CommandParser.Parse("declare  Checkout SEV2 errors in type:deployment EU");

        Assert.That(command, Is.EqualTo(new DeclareCommand("Checkout errors in EU", Severity.Sev2, IncidentType.Deployment)));
    }

    [TestCase("declare sev1 Payments down", Severity.Sev1)]
    [TestCase("DECLARE Payments down sev4", Severity.Sev4)]
    public void Parse_DeclareSeverityAtEitherEnd_Recognised(string text, Severity severity) =>
        Assert.That(((DeclareCommand)CommandParser.Parse(text)).Severity, Is.EqualTo(severity));

    [TestCase("type:customer", IncidentType.CustomerReported)]
    [TestCase("type:CustomerReported", IncidentType.CustomerReported)]
    [TestCase("type:livesite", IncidentType.Livesite)]
    public void Parse_DeclareType_Recognised(string token, IncidentType type) =>
        Assert.That(((DeclareCommand)CommandParser.Parse($"declare x {token}")).Type, Is.EqualTo(type));

    [Test]
    public void Parse_BareDeclare_NullTitleOpensForm() =>
        Assert.That(CommandParser.Parse("declare sev2"), Is.EqualTo(new DeclareCommand(null, Severity.Sev2, null)));

    [TestCase("決済エラーが発生 sev1", "決済エラーが発生")]
    [TestCase("فشل الدفع", "فشل الدفع")]
    [TestCase("🔥🔥 paiement échoué à Zürich", "🔥🔥 paiement échoué à Zürich")]
    public void Parse_TitleInAnyLanguage_SurvivesIntact(string text, string title) =>
        Assert.That(((DeclareCommand)CommandParser.Parse("declare " + text)).Title, Is.EqualTo(title));

    [Test]
    public void Parse_VeryLongTitleWithEmoji_CappedAtTextElementBoundary()
    {
        var title = ((DeclareCommand)CommandParser.Parse("declare " + string.Concat(Enumerable.Repeat("🔥", 300))))!.Title!;

        Assert.That(new System.Globalization.StringInfo(title).LengthInTextElements, Is.EqualTo(CommandParser.MaxTitleLength));
        Assert.That(char.IsHighSurrogate(title[^1]), Is.False);
    }

    [Test]
    public void Parse_UnknownType_HelpWithReason() =>
        Assert.That(((HelpCommand)CommandParser.Parse("declare x type:weird")).Error!.PlainText, Does.Contain("type:weird".Replace("type:", "", StringComparison.Ordinal)));

    [TestCase("ack", LifecycleAction.Acknowledge)]
    [TestCase("Acknowledge", LifecycleAction.Acknowledge)]
    [TestCase("mitigate", LifecycleAction.Mitigate)]
    [TestCase("RESOLVE", LifecycleAction.Resolve)]
    [TestCase("reopen", LifecycleAction.Reopen)]
    public void Parse_TransitionVerbs(string text, LifecycleAction action) =>
        Assert.That(CommandParser.Parse(text), Is.EqualTo(new TransitionCommand(action)));

    [Test]
    public void Parse_Update_KeepsTextWithNewlines() =>
        Assert.That(CommandParser.Parse("update Rolled back.\nErrors falling."), Is.EqualTo(new StatusUpdateCommand("Rolled back.\nErrors falling.")));

    [TestCase("update")]
    [TestCase("note   ")]
    [TestCase("lead")]
    [TestCase("lead ada")]
    [TestCase("role scribe")]
    [TestCase("role <@U1>")]
    [TestCase("sev 5")]
    [TestCase("sev")]
    [TestCase("sev high")]
    [TestCase("note --remove x")]
    [TestCase("note --remove -3")]
    [TestCase("postmortem Europe/Paris")]
    [TestCase("postmortem tz:")]
    [TestCase("postmortem tz:Europe/Paris;rm")]
    public void Parse_BadArguments_HelpWithReason(string text)
    {
        var command = CommandParser.Parse(text);

        Assert.That(command, Is.TypeOf<HelpCommand>());
        Assert.That(((HelpCommand)command).Error?.PlainText, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void Parse_Note_AndRemove()
    {
        Assert.That(CommandParser.Parse("note Customer tickets spiking"), Is.EqualTo(new NoteCommand("Customer tickets spiking")));
        Assert.That(CommandParser.Parse("note --remove 42"), Is.EqualTo(new RemoveNoteCommand(42)));
    }

    [Test]
    public void Parse_LeadMention_NamesThePersonTheAdapterResolved() =>
        Assert.That(CommandParser.Parse("lead <@U123ABC|ada>", [new Mention("<@U123ABC|ada>", new Person("U123ABC", "ada"))]), Is.EqualTo(new LeadCommand(new Person("U123ABC", "ada"))));

    [Test]
    public void Parse_RoleMention_LowercasesRole() =>
        Assert.That(CommandParser.Parse("role Scribe <@U2|grace>", [new Mention("<@U2|grace>", new Person("U2", "grace"))]), Is.EqualTo(new RoleCommand("scribe", new Person("U2", "grace"))));

    [Test]
    public void Parse_MentionMarkupWithoutResolvedMention_Help() =>
        Assert.That(CommandParser.Parse("lead <@U123ABC>"), Is.TypeOf<HelpCommand>());

    [Test]
    public void Parse_RoleNameIsAMention_Help() =>
        Assert.That(CommandParser.Parse("role <@U1> scribe", [new Mention("<@U1>", new Person("U1", "U1"))]), Is.TypeOf<HelpCommand>());

    [Test]
    public void Parse_TeamsMention_ResolvedThroughEntities()
    {
        var mentions = new[] { new Mention("<at>Ada Lovelace</at>", new Person("29:1abc", "Ada Lovelace")) };

        Assert.That(CommandParser.Parse("lead <at>Ada Lovelace</at>", mentions), Is.EqualTo(new LeadCommand(new Person("29:1abc", "Ada Lovelace"))));
        Assert.That(CommandParser.Parse("role liaison <at>Ada Lovelace</at>", mentions), Is.EqualTo(new RoleCommand("liaison", new Person("29:1abc", "Ada Lovelace"))));
    }

    [Test]
    public void Parse_TeamsMentionWithoutEntity_Help() =>
        Assert.That(CommandParser.Parse("lead <at>Nobody</at>", []), Is.TypeOf<HelpCommand>());

    [TestCase("sev 1", Severity.Sev1)]
    [TestCase("sev sev3", Severity.Sev3)]
    [TestCase("sev Sev4", Severity.Sev4)]
    public void Parse_Severity(string text, Severity severity) =>
        Assert.That(CommandParser.Parse(text), Is.EqualTo(new SeverityCommand(severity)));

    [Test]
    public void Parse_SimpleVerbs()
    {
        Assert.That(CommandParser.Parse("status"), Is.TypeOf<StatusCommand>());
        Assert.That(CommandParser.Parse(" LIST "), Is.TypeOf<ListCommand>());
        Assert.That(CommandParser.Parse("help"), Is.EqualTo(new HelpCommand(null)));
        Assert.That(CommandParser.Parse(""), Is.EqualTo(new HelpCommand(null)));
        Assert.That(CommandParser.Parse(null), Is.EqualTo(new HelpCommand(null)));
    }

    [Test]
    public void Parse_Postmortem_WithAndWithoutZone()
    {
        Assert.That(CommandParser.Parse("postmortem"), Is.EqualTo(new PostmortemCommand(null)));
        Assert.That(CommandParser.Parse("postmortem tz:Europe/Paris"), Is.EqualTo(new PostmortemCommand("Europe/Paris")));
    }

    [Test]
    public void Parse_UnknownVerb_HelpNamingIt() =>
        Assert.That(((HelpCommand)CommandParser.Parse("frobnicate now")).Error, Is.EqualTo(RichText.Of($"Unknown command {Run.Code("frobnicate")}.")));

    [Test]
    public void HelpText_ListsEveryVerb()
    {
        foreach (var verb in new[] { "declare", "ack", "mitigate", "resolve", "reopen", "update", "note", "lead", "role", "sev", "status", "list", "postmortem", "help" })
        {
            var commands = CommandParser.HelpText.Runs.OfType<CodeRun>().Select(c => c.Text);
            Assert.That(commands, Has.Some.StartsWith(verb), verb);
        }
    }

    [Test]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(20261122);
        var alphabet = "abcdeklmnorstuvy <>@|:-_\n\t\r`*~ sev1type:ack\u0000\uD800\uDC00\u200B🔥é";
        for (var i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = random.Next(10) == 0 ? (char)random.Next(0, 0xFFFF) : alphabet[random.Next(alphabet.Length)];
            }

            var text = (random.Next(3) == 0 ? "declare " : random.Next(2) == 0 ? "role " : "") + new string(chars);
            Assert.DoesNotThrow(() => CommandParser.Parse(text, [new Mention("<at>x</at>", new Person("29:x", "x"))]), text);
        }
    }
}
