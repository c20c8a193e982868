using Vtls.Conformance.Scenarios;

namespace Vtls.Conformance.Catalogue;

/// <summary>Every scenario of CONFORMANCE.md that the suite plays, in catalogue order.</summary>
public static class ScenarioCatalogue
{
    private static readonly Lazy<IReadOnlyList<Scenario>> s_all = new(() =>
        [
            .. ShutdownScenarios.All,
            .. CloseScenarios.All,
            .. ReceiveScenarios.All,
            .. NoLossScenarios.All,
            .. TrustScenarios.All,
            .. InteropScenarios.All,
        ]);

    /// <summary>The scenarios, in catalogue order.</summary>
    public static IReadOnlyList<Scenario> All => s_all.Value;

    /// <summary>
    /// The scenarios selected by ids (<c>S01</c>) or group letters (<c>S</c>); all of them when
    /// <paramref name="selectors"/> is empty.
    /// </summary>
    /// <param name="selectors">Ids or group letters, case ignored.</param>
    /// <exception cref="ArgumentException">A selector matches nothing; the message lists the ids.</exception>
    public static IReadOnlyList<Scenario> Select(IEnumerable<string> selectors)
    {
        var wanted = selectors.Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        if (wanted.Length == 0)
        {
            return All;
        }

        foreach (var selector in wanted)
        {
            if (!All.Any(s => Matches(s, selector)))
            {
                throw new ArgumentException(
                    $"No scenario or group '{selector}'. Known: {string.Join(", ", All.Select(s => s.Id))}.",
                    nameof(selectors));
            }
        }

        return All.Where(s => wanted.Any(w => Matches(s, w))).ToArray();
    }

    /// <summary>Finds a scenario by id.</summary>
    /// <param name="id">The id, for example <c>S01</c>.</param>
    public static Scenario Get(string id) =>
        All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No scenario '{id}'.", nameof(id));

    private static bool Matches(Scenario scenario, string selector) =>
        string.Equals(scenario.Id, selector, StringComparison.OrdinalIgnoreCase)
        || string.Equals(scenario.GroupLetter, selector, StringComparison.OrdinalIgnoreCase);

    /// <summary>Builds a catalogue entry; the group comes from the id's letter.</summary>
    internal static Scenario Define(
        string id,
        string title,
        string reference,
        string expected,
        ScenarioBody body,
        ScenarioRoles roles = ScenarioRoles.Both,
        PeerAbilities needs = PeerAbilities.None,
        ScenarioTransports transports = ScenarioTransports.Tcp,
        TlsFeatures features = TlsFeatures.None)
    {
        var group = id[0] switch
        {
            'S' => ScenarioGroup.Shutdown,
            'C' => ScenarioGroup.Close,
            'R' => ScenarioGroup.Receive,
            'N' => ScenarioGroup.NoLoss,
            'V' => ScenarioGroup.Trust,
            'I' => ScenarioGroup.Interop,
            _ => throw new ArgumentException($"Unknown group letter in '{id}'.", nameof(id)),
        };
        return new Scenario(id, title, group, reference, expected, roles, features, transports, needs) { Body = body };
    }
}
