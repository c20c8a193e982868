using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Vtls;

/// <summary>
/// The backends an application can choose from at run time (DESIGN.md 3). Selection order: an explicit name; the
/// <c>VTLS_BACKEND</c> preference list; the first registered backend with every requested feature.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class TlsBackendRegistry
{
    /// <summary>The environment variable holding a comma-separated backend preference list.</summary>
    public const string EnvironmentVariable = "VTLS_BACKEND";

    private readonly object _gate = new();
    private readonly List<ITlsBackend> _backends = [];

    /// <summary>The process-wide registry.</summary>
    public static TlsBackendRegistry Default { get; } = new();

    /// <summary>The registered backends, in registration order.</summary>
    public IReadOnlyList<ITlsBackend> Backends
    {
        get
        {
            lock (_gate)
            {
                return _backends.ToArray();
            }
        }
    }

    /// <summary>
    /// Registers a backend; a second registration under the same name replaces nothing and is ignored.
    /// </summary>
    /// <param name="backend">The backend.</param>
    /// <returns>This registry, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is not lower-case letters, digits or dashes.</exception>
    public TlsBackendRegistry Register(ITlsBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (string.IsNullOrEmpty(backend.Name) || !backend.Name.All(IsNameCharacter))
        {
            throw new ArgumentException(
                $"A backend name is lower-case letters, digits and dashes; got '{backend.Name}'.",
                nameof(backend));
        }

        lock (_gate)
        {
            if (!_backends.Any(b => b.Name == backend.Name))
            {
                _backends.Add(backend);
            }
        }

        return this;
    }

    /// <summary>Finds a backend by name.</summary>
    /// <param name="name">The name; case is ignored.</param>
    /// <param name="backend">The backend, if registered.</param>
    public bool TryGet(string name, out ITlsBackend backend)
    {
        lock (_gate)
        {
            var wanted = name?.Trim();
            backend = _backends.FirstOrDefault(
                b => string.Equals(b.Name, wanted, StringComparison.OrdinalIgnoreCase))!;
            return backend is not null;
        }
    }

    /// <summary>Gets a backend by name.</summary>
    /// <param name="name">The name; case is ignored.</param>
    /// <exception cref="TlsException">
    /// <see cref="TlsErrorKind.Misuse"/>: no such backend; the message lists the available ones.
    /// </exception>
    public ITlsBackend Get(string name)
    {
        if (TryGet(name, out var backend))
        {
            return backend;
        }

        throw TlsException.Misuse($"Unknown TLS backend '{name}'. Available: {DescribeAvailable()}.");
    }

    /// <summary>
    /// Chooses a backend: <paramref name="name"/> if given; else the first of <paramref name="preference"/> (by
    /// default the <c>VTLS_BACKEND</c> variable) that is registered and has <paramref name="required"/>; else the
    /// first registered backend with <paramref name="required"/>.
    /// </summary>
    /// <param name="name">An explicit choice, or <see langword="null"/>.</param>
    /// <param name="required">Features the backend must have.</param>
    /// <param name="preference">
    /// A comma-separated preference list; <see langword="null"/> reads <c>VTLS_BACKEND</c>.
    /// </param>
    /// <param name="logger">Warns about preference entries that are not registered.</param>
    /// <exception cref="TlsException">
    /// <see cref="TlsErrorKind.Misuse"/>: the named backend is unknown or lacks a feature, or none fits; the message
    /// lists what is available.
    /// </exception>
    public ITlsBackend Select(
        string? name = null,
        TlsFeatures required = TlsFeatures.None,
        string? preference = null,
        ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        if (!string.IsNullOrWhiteSpace(name))
        {
            var chosen = Get(name);
            ThrowIfMissing(chosen, required);
            return chosen;
        }

        preference ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(preference))
        {
            var entries = preference.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var entry in entries)
            {
                if (!TryGet(entry, out var candidate))
                {
                    FilterLog.UnknownPreferredBackend(logger, entry, DescribeAvailable());
                    continue;
                }

                if ((candidate.Features & required) == required)
                {
                    return candidate;
                }
            }

            throw TlsException.Misuse(
                $"No backend in {EnvironmentVariable}='{preference}' is registered with {Describe(required)}. " +
                $"Available: {DescribeAvailable()}.");
        }

        foreach (var candidate in Backends)
        {
            if ((candidate.Features & required) == required)
            {
                return candidate;
            }
        }

        throw TlsException.Misuse(
            $"No registered TLS backend has {Describe(required)}. Available: {DescribeAvailable()}.");
    }

    private void ThrowIfMissing(ITlsBackend backend, TlsFeatures required)
    {
        var missing = required & ~backend.Features;
        if (missing != TlsFeatures.None)
        {
            throw TlsException.Misuse(
                $"TLS backend '{backend.Name}' lacks {missing}. Available: {DescribeAvailable()}.");
        }
    }

    private string DescribeAvailable()
    {
        var all = Backends;
        return all.Count == 0
            ? "none registered"
            : string.Join(", ", all.Select(b => $"{b.Name} ({b.Features})"));
    }

    private static bool IsNameCharacter(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-';

    private static string Describe(TlsFeatures required) =>
        required == TlsFeatures.None ? "any features" : $"the features {required}";
}
