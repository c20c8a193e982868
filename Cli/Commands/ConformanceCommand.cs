using System.CommandLine;
using Vtls.Cli.Output;
using Vtls.Conformance.Running;

namespace Vtls.Cli.Commands;

/// <summary>
/// <c>vtls conformance</c>: plays the conformance catalogue (CONFORMANCE.md) for every selected backend against
/// every selected peer, on loopback, with certificates it makes itself, and prints the matrix.
/// </summary>
internal sealed class ConformanceCommand
{
    private const string Notes =
        """
        Examples:
          vtls conformance                                      everything: all backends vs all peers
          vtls conformance --backend bouncycastle --peer openssl
          vtls conformance --scenario S --scenario R02 --json results.json
          vtls conformance --list                               the scenarios, without running them

        Exit codes: 0 nothing failed, 1 at least one run failed, 2 usage, 130 interrupted.
        A run that cannot be played (a peer that cannot act the part, a missing tool, a feature the backend
        does not declare) is a skip with its reason, never a pass.
        """;

    // The peers that run as processes; every registered backend is a peer too.
    private static readonly string[] ExternalPeers = ["openssl", "gnutls"];

    private readonly CliContext _context;

    private readonly Option<string[]> _backends = new("--backend", "-b")
    {
        Description = "A backend under test (see 'vtls backends'). Repeat for several. Default: all registered.",
        HelpName = "NAME",
    };

    private readonly Option<string[]> _peers = new("--peer")
    {
        Description = "A peer: a backend name, openssl or gnutls. Repeat for several. Default: all backends, "
            + "openssl and gnutls.",
        HelpName = "NAME",
    };

    private readonly Option<string[]> _scenarios = new("--scenario", "-s")
    {
        Description = "A scenario id (S01) or a group letter (S, C, R, N, V, I). Repeat for several. Default: all.",
        HelpName = "ID",
    };

    private readonly Option<string[]> _roles = CreateChoice("--role", "ROLE", "client", "server");

    private readonly Option<string[]> _protocols = CreateChoice("--tls", "VERSION", "1.2", "1.3");

    private readonly Option<string[]> _transports = CreateChoice("--transport", "NAME", "tcp", "faulty");

    private readonly Option<string?> _json = new("--json")
    {
        Description = "Also write the results to this file as a JSON array of {scenario, backend, peer, role, "
            + "protocol, transport, outcome (pass|fail|skip), detail}.",
        HelpName = "FILE",
    };

    private readonly Option<bool> _requireExternalPeers = new("--require-external-peers")
    {
        Description = "Fail, instead of skip, the runs whose external tool (openssl, gnutls-cli) is missing. "
            + "Also set by VTLS_REQUIRE_EXTERNAL_PEERS=1 (CI does).",
    };

    private readonly Option<bool> _list = new("--list")
    {
        Description = "List the scenarios (id, reference, title) and exit without running anything.",
    };

    private ConformanceCommand(CliContext context)
    {
        _context = context;
    }

    /// <summary>Creates the command.</summary>
    /// <param name="context">Standard streams and backends.</param>
    /// <param name="help">Takes the notes printed after the command's help.</param>
    public static Command Create(CliContext context, NotedHelpAction help)
    {
        var command = new ConformanceCommand(context).Build();
        help.Add(command, Notes);
        return command;
    }

    private Command Build()
    {
        var command = new Command(
            "conformance",
            "Run the conformance matrix: each scenario of CONFORMANCE.md, for each backend under test against "
            + "each peer (the backends in-process, openssl and gnutls as processes), as client and server, over "
            + "TLS 1.2 and 1.3, on loopback with certificates made on the spot. Progress goes to standard error; "
            + "the table and the summary line to standard output.");
        command.Options.Add(_backends);
        command.Options.Add(_peers);
        command.Options.Add(_scenarios);
        command.Options.Add(_roles);
        command.Options.Add(_protocols);
        command.Options.Add(_transports);
        command.Options.Add(_json);
        command.Options.Add(_requireExternalPeers);
        command.Options.Add(_list);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_context, () => RunAsync(parse, ct), ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        ValidateNames(parse.GetValue(_backends) ?? [], parse.GetValue(_peers) ?? []);
        if (parse.GetValue(_list))
        {
            ListScenarios();
            return ExitCodes.Clean;
        }

        var request = new ConformanceRequest
        {
            RequireExternalPeers = parse.GetValue(_requireExternalPeers)
                || ConformanceRunner.ExternalPeersRequiredByEnvironment,
        };
        AddAll(request.Backends, parse.GetValue(_backends));
        AddAll(request.Peers, parse.GetValue(_peers));
        AddAll(request.Scenarios, parse.GetValue(_scenarios));
        AddAll(request.Roles, parse.GetValue(_roles));
        AddAll(request.Protocols, parse.GetValue(_protocols)?.Select(v => "TLS" + v));
        AddAll(request.Transports, parse.GetValue(_transports));
        string? jsonPath = parse.GetValue(_json);

        using var runner = new ConformanceRunner(_context.Registry);
        IReadOnlyList<RunResult> results;
        try
        {
            results = await runner.RunAsync(request, new ConformanceProgress(_context.Error), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException || e is TlsException { Kind: TlsErrorKind.Misuse })
        {
            throw new UsageException(e.Message, e);
        }

        ConformanceReport.Write(results, _context.Out);
        if (jsonPath is not null)
        {
            ConformanceJson.WriteFile(results, jsonPath);
            _context.Status($"results written to {jsonPath}");
        }

        return results.Any(r => r.Outcome == Outcome.Fail) ? ExitCodes.ConformanceFailed : ExitCodes.Clean;
    }

    /// <summary>Rejects unknown backend and peer names before anything else (even <c>--list</c>) runs.</summary>
    private void ValidateNames(string[] backends, string[] peers)
    {
        foreach (string name in backends)
        {
            if (!_context.Registry.TryGet(name, out _))
            {
                throw new UsageException($"Unknown TLS backend '{name}'. Available: {DescribeBackends()}.");
            }
        }

        foreach (string name in peers)
        {
            if (!ExternalPeers.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase)
                && !_context.Registry.TryGet(name, out _))
            {
                throw new UsageException(
                    $"Unknown peer '{name}'. Available: {DescribeBackends()}, "
                    + $"{string.Join(", ", ExternalPeers.Select(p => $"{p} (external tool)"))}.");
            }
        }
    }

    private string DescribeBackends() =>
        string.Join(", ", _context.Registry.Backends.Select(b => $"{b.Name} (backend)"));

    private void ListScenarios()
    {
        var table = new TextTable("ID", "REFERENCE", "SCENARIO");
        foreach (var scenario in ConformanceRunner.Catalogue)
        {
            table.Add(scenario.Id, scenario.Reference, scenario.Title);
        }

        table.Write(_context.Out);
    }

    private static void AddAll(IList<string> target, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            target.Add(value);
        }
    }

    private static Option<string[]> CreateChoice(string name, string helpName, params string[] choices)
    {
        var option = new Option<string[]>(name)
        {
            Description = $"Only this {helpName.ToLowerInvariant()}: {string.Join(" or ", choices)}. Repeatable. "
                + "Default: all.",
            HelpName = helpName,
        };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }
}
