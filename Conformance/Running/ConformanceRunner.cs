using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vtls.Conformance.Catalogue;
using Vtls.Conformance.External;

namespace Vtls.Conformance.Running;

/// <summary>
/// Plays the conformance catalogue: every selected scenario x backend under test x peer x role x protocol x
/// transport, a few runs at a time, each bounded in time. The same runner serves xunit and <c>vtls conformance</c>.
/// </summary>
/// <remarks>
/// A run a peer cannot play, or that needs a feature the backend does not declare, is a
/// <see cref="Outcome.Skip"/> with the reason; never a pass. A run that does not finish within
/// <see cref="RunTimeout"/> is a <see cref="Outcome.Fail"/> ("timed out"), never a hang.
/// </remarks>
public sealed class ConformanceRunner : IDisposable
{
    /// <summary>The environment variable that makes a missing external tool a failure (CI sets it to 1).</summary>
    public const string RequireExternalPeersVariable = "VTLS_REQUIRE_EXTERNAL_PEERS";

    private readonly TlsBackendRegistry _registry;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly Lazy<RunResources> _resources = new(() => new RunResources());
    private readonly Dictionary<ExternalTool, string?> _toolProblems = [];

    /// <summary>Creates a runner over the backends of <paramref name="registry"/>.</summary>
    /// <param name="registry">Backends to test and to use as in-process peers.</param>
    /// <param name="loggerFactory">Where the backends' traces go as well (each run also keeps its own).</param>
    public ConformanceRunner(TlsBackendRegistry registry, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The scenarios, as data.</summary>
    public static IReadOnlyList<Scenario> Catalogue => ScenarioCatalogue.All;

    /// <summary>How many runs go at once; default 4.</summary>
    public int MaxParallelRuns { get; init; } = 4;

    /// <summary>The bound of one run; default 45 s.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// Whether <see cref="Environment"/> asks for external peers to be required
    /// (<c>VTLS_REQUIRE_EXTERNAL_PEERS=1</c>).
    /// </summary>
    public static bool ExternalPeersRequiredByEnvironment =>
        Environment.GetEnvironmentVariable(RequireExternalPeersVariable) is "1" or "true" or "yes";

    /// <summary>The peers a request names, or every registered backend plus <c>openssl</c> and <c>gnutls</c>.</summary>
    /// <param name="names">Peer names; empty for all.</param>
    public IReadOnlyList<PeerProfile> ResolvePeers(IEnumerable<string> names)
    {
        var wanted = names.ToArray();
        if (wanted.Length == 0)
        {
            return [.. _registry.Backends.Select(PeerProfile.InProcess), PeerProfile.OpenSsl, PeerProfile.GnuTls];
        }

        return wanted.Select(name => name.Trim().ToLowerInvariant() switch
        {
            "openssl" => PeerProfile.OpenSsl,
            "gnutls" => PeerProfile.GnuTls,
            _ => PeerProfile.InProcess(_registry.Get(name)),
        }).ToArray();
    }

    /// <summary>Runs what <paramref name="request"/> selects and returns one result per run, in matrix order.</summary>
    /// <param name="request">The selection; empty lists mean everything that applies.</param>
    /// <param name="progress">Told about each result as it comes.</param>
    /// <param name="cancellationToken">Stops the remaining runs.</param>
    /// <exception cref="TlsException">A backend name is unknown (the message lists the registered ones).</exception>
    /// <exception cref="ArgumentException">
    /// A scenario, role, protocol or transport selector matches nothing.
    /// </exception>
    public async Task<IReadOnlyList<RunResult>> RunAsync(
        ConformanceRequest request,
        IProgress<RunResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = RunPlan.Expand(request, this, _registry);
        var results = new RunResult?[plan.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, MaxParallelRuns));
        var runs = plan.Select(async (cell, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await PlayAsync(cell, request, cancellationToken).ConfigureAwait(false);
                results[index] = result;
                progress?.Report(result);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(runs).ConfigureAwait(false);
        return results.Select(r => r!).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_resources.IsValueCreated)
        {
            _resources.Value.Dispose();
        }
    }

    internal string? ToolProblem(ExternalTool tool)
    {
        lock (_toolProblems)
        {
            if (!_toolProblems.TryGetValue(tool, out var problem))
            {
                try
                {
                    problem = ExternalTlsProcess.IsAvailable(tool, out var reason) ? null : reason;
                }
                catch (Exception e) when (e is NotImplementedException or InvalidOperationException or IOException)
                {
                    problem = $"the external-peer support failed: {e.Message}";
                }
                _toolProblems[tool] = problem;
            }

            return problem;
        }
    }

    private async Task<RunResult> PlayAsync(
        RunCell cell,
        ConformanceRequest request,
        CancellationToken cancellationToken)
    {
        if (cell.SkipReason is { } reason)
        {
            bool missingTool = cell.MissingTool && (request.RequireExternalPeers || ExternalPeersRequiredByEnvironment);
            return cell.Result(missingTool ? Outcome.Fail : Outcome.Skip, reason, TimeSpan.Zero);
        }

        var clock = Stopwatch.StartNew();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var logs = new CapturingLoggerFactory(_loggerFactory);
        var run = new ScenarioRun(
            cell.Scenario,
            cell.Backend,
            cell.Peer,
            cell.Role,
            cell.Protocol,
            cell.Transport,
            _resources.Value,
            logs,
            budget.Token);
        try
        {
            var body = Task.Run(() => cell.Scenario.Body(run), budget.Token);
            if (await Task.WhenAny(body, Task.Delay(RunTimeout, cancellationToken)).ConfigureAwait(false) != body)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _ = body.ContinueWith(static t => t.Exception, TaskScheduler.Default);
                budget.Cancel();
                return cell.Result(
                    Outcome.Fail,
                    $"timed out after {RunTimeout.TotalSeconds:0} s. {run.Notes}; {run.DescribeWire()}",
                    clock.Elapsed);
            }

            await body.ConfigureAwait(false);
            return cell.Result(Outcome.Pass, Join(cell.Scenario.Expected, run.Notes), clock.Elapsed);
        }
        catch (ScenarioSkippedException e)
        {
            return cell.Result(Outcome.Skip, e.Message, clock.Elapsed);
        }
        catch (ScenarioFailedException e)
        {
            return cell.Result(Outcome.Fail, Join(e.Message, run.Notes), clock.Elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return cell.Result(
                Outcome.Fail,
                Join($"unexpected {e.GetType().Name}: {e.Message}", run.Notes),
                clock.Elapsed);
        }
        finally
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Join(string first, string notes) => notes.Length == 0 ? first : $"{first} [{notes}]";
}
