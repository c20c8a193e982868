using Vtls.Conformance.Pki;

namespace Vtls.Tests.Support;

/// <summary>A throw-away PKI written as PEM files into a temporary directory, deleted on dispose.</summary>
public sealed class PemDirectory : IDisposable
{
    private readonly string _directory;

    public PemDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("vtls-wire-").FullName;
        Pki = TestPki.Create("Wire");
        Pem = Pki.WritePemFiles(_directory);
        Stranger = TestPki.Create("Stranger");
        var strangerDirectory = Path.Combine(_directory, "stranger");
        Directory.CreateDirectory(strangerDirectory);
        StrangerPem = Stranger.WritePemFiles(strangerDirectory);
    }

    public TestPki Pki { get; }

    public PemFiles Pem { get; }

    /// <summary>Another authority: a client trusting only it rejects <see cref="Pki"/>'s server.</summary>
    public TestPki Stranger { get; }

    /// <summary>
    /// <see cref="Pem"/> but with <see cref="Stranger"/>'s root as the CA, for a client that must reject the
    /// server.
    /// </summary>
    public PemFiles UntrustingPem => Pem with { CaCertificate = StrangerPem.CaCertificate };

    private PemFiles StrangerPem { get; }

    public void Dispose()
    {
        Pki.Dispose();
        Stranger.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
