using Vtls.Conformance.Pki;

namespace Vtls.Tests.Infrastructure;

/// <summary>A fresh <see cref="TestPki"/> written as PEM files to a temporary directory, deleted on dispose.</summary>
internal sealed class PemDirectory : IDisposable
{
    private readonly string _directory;

    /// <summary>Creates the authority and writes its files.</summary>
    public PemDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("vtls-cli-tests-").FullName;
        Pki = TestPki.Create("Vtls CLI test");
        Files = Pki.WritePemFiles(_directory);
    }

    /// <summary>The authority.</summary>
    public TestPki Pki { get; }

    /// <summary>The files: ca.pem, server.pem, server.key, client.pem, client.key.</summary>
    public PemFiles Files { get; }

    /// <summary>A path inside the directory, for files a test writes itself.</summary>
    /// <param name="name">The file name.</param>
    public string PathOf(string name) => Path.Combine(_directory, name);

    /// <inheritdoc/>
    public void Dispose()
    {
        Pki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
