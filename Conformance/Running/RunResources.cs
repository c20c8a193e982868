using System.Security.Cryptography.X509Certificates;
using Vtls.Conformance.Pki;

namespace Vtls.Conformance.Running;

/// <summary>
/// What every run of one runner shares: the test PKI and its PEM files for the external peers, in a private
/// temporary directory that is deleted when the runner is disposed (or the process exits).
/// </summary>
internal sealed class RunResources : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PemFiles> _serverSets = [];
    private bool _disposed;

    public RunResources()
    {
        Pki = TestPki.Create("Vtls conformance");
        Directory = System.IO.Directory.CreateTempSubdirectory("vtls-conformance-").FullName;
        Pem = Pki.WritePemFiles(Directory);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private readonly Dictionary<string, X509Certificate2> _certificates = [];

    public TestPki Pki { get; }

    /// <summary>
    /// A certificate made once per runner under <paramref name="name"/> (its PEM files share the name).
    /// </summary>
    public X509Certificate2 Certificate(
        string name,
        Func<TestPki, X509Certificate2> make)
    {
        lock (_gate)
        {
            if (!_certificates.TryGetValue(name, out var certificate))
            {
                certificate = make(Pki);
                _certificates[name] = certificate;
            }

            return certificate;
        }
    }

    public string Directory { get; }

    public PemFiles Pem { get; }

    /// <summary>
    /// PEM files that present <paramref name="server"/> instead of the default server certificate, for external
    /// servers in the trust scenarios.
    /// </summary>
    public PemFiles PemWithServer(string name, X509Certificate2 server)
    {
        lock (_gate)
        {
            if (_serverSets.TryGetValue(name, out var existing))
            {
                return existing;
            }

            var certificate = Path.Combine(Directory, $"{name}.pem");
            var key = Path.Combine(Directory, $"{name}.key");
            File.WriteAllText(certificate, server.ExportCertificatePem());
            File.WriteAllText(key, TestPki.ExportKeyPem(server));
            var files = Pem with { ServerCertificate = certificate, ServerKey = key };
            _serverSets[name] = files;
            return files;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        DeleteDirectory();
        Pki.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => DeleteDirectory();

    private void DeleteDirectory()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a tool still holds a file: the OS cleans its temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
