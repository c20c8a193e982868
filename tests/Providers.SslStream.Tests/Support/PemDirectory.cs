using Vtls.Conformance.Pki;

namespace Vtls.Tests.Support;

/// <summary>A test PKI's certificates and keys as PEM files in a private temporary folder, deleted on dispose.
/// </summary>
internal sealed class PemDirectory : IDisposable
{
    private readonly string _path;

    public PemDirectory(TestPki pki)
    {
        _path = Directory.CreateTempSubdirectory("vtls-sslstream-").FullName;
        Files = pki.WritePemFiles(_path);
        Server = new PemPaths(Files.ServerCertificate, Files.ServerKey, Files.CaCertificate);
        Client = new PemPaths(Files.ClientCertificate, Files.ClientKey, Files.CaCertificate);
    }

    public PemFiles Files { get; }

    public PemPaths Server { get; }

    public PemPaths Client { get; }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
