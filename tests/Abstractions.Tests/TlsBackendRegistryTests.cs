using Vtls.Tests.Fakes;

namespace Vtls.Tests;

/// <summary>Selection of a backend at run time (DESIGN.md 3).</summary>
public class TlsBackendRegistryTests
{
    private const TlsFeatures Both = TlsFeatures.Tls12 | TlsFeatures.Tls13;

    private static readonly FakeBackend Alpha = new("alpha", Both);
    private static readonly FakeBackend Beta = new("beta", Both | TlsFeatures.Alpn | TlsFeatures.ServerRole);
    private static readonly FakeBackend Gamma = new("gamma", TlsFeatures.Tls13 | TlsFeatures.HalfClose);

    private static TlsBackendRegistry Registry() => new TlsBackendRegistry().Register(Alpha).Register(Beta)
        .Register(Gamma);

    [Theory]
    [InlineData("beta")]
    [InlineData("BETA")]
    [InlineData(" Beta ")]
    public void Get_NameInAnyCase_Found(string name)
    {
        Assert.Same(Beta, Registry().Get(name));
    }

    [Fact]
    public void Get_UnknownName_MisuseListingAvailable()
    {
        var e = Assert.Throws<TlsException>(() => Registry().Get("nosuch"));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Contains("nosuch", e.Message);
        Assert.Contains("alpha", e.Message);
        Assert.Contains("beta", e.Message);
        Assert.Contains("gamma", e.Message);
    }

    [Fact]
    public void Get_EmptyRegistry_SaysNoneRegistered()
    {
        var e = Assert.Throws<TlsException>(() => new TlsBackendRegistry().Get("alpha"));

        Assert.Contains("none registered", e.Message);
    }

    [Fact]
    public void TryGet_Unknown_False()
    {
        Assert.False(Registry().TryGet("delta", out _));
    }

    [Fact]
    public void Select_ExplicitName_WinsOverPreference()
    {
        Assert.Same(Gamma, Registry().Select("gamma", preference: "alpha,beta"));
    }

    [Fact]
    public void Select_ExplicitNameLacksFeature_MisuseNamingIt()
    {
        var e = Assert.Throws<TlsException>(() => Registry().Select("gamma", TlsFeatures.Alpn, preference: ""));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Contains("gamma", e.Message);
        Assert.Contains("Alpn", e.Message);
    }

    [Fact]
    public void Select_ExplicitUnknownName_Misuse()
    {
        Assert.Equal(
            TlsErrorKind.Misuse,
            Assert.Throws<TlsException>(() => Registry().Select("delta", preference: "")).Kind);
    }

    [Fact]
    public void Select_PreferenceList_FirstRegisteredEntryWins()
    {
        Assert.Same(Gamma, Registry().Select(preference: "gamma,alpha"));
    }

    [Fact]
    public void Select_PreferenceListWithSpacesAndCase_Parsed()
    {
        Assert.Same(Beta, Registry().Select(preference: " , BETA , alpha"));
    }

    [Fact]
    public void Select_PreferenceUnregisteredEntry_SkippedAndWarned()
    {
        var logger = new ListLogger();

        var chosen = Registry().Select(preference: "openssl,beta", logger: logger);

        Assert.Same(Beta, chosen);
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains("openssl"));
    }

    [Fact]
    public void Select_PreferenceEntryLacksFeature_Skipped()
    {
        Assert.Same(Beta, Registry().Select(required: TlsFeatures.Alpn, preference: "gamma,alpha,beta"));
    }

    [Fact]
    public void Select_NoPreferredEntryFits_MisuseListingAvailable()
    {
        var e = Assert.Throws<TlsException>(() => Registry().Select(preference: "openssl,schannel"));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Contains(TlsBackendRegistry.EnvironmentVariable, e.Message);
        Assert.Contains("alpha", e.Message);
    }

    [Fact]
    public void Select_NoPreference_FirstRegistered()
    {
        Assert.Same(Alpha, Registry().Select(preference: ""));
    }

    [Fact]
    public void Select_RequiredFeatures_FirstRegisteredWithAll()
    {
        Assert.Same(Gamma, Registry().Select(required: TlsFeatures.HalfClose, preference: ""));
        Assert.Same(Beta, Registry().Select(required: TlsFeatures.Alpn | TlsFeatures.Tls12, preference: ""));
    }

    [Fact]
    public void Select_NoBackendHasFeatures_MisuseListingAvailable()
    {
        var e = Assert.Throws<TlsException>(
            () => Registry().Select(required: TlsFeatures.KeyLogging, preference: ""));

        Assert.Equal(TlsErrorKind.Misuse, e.Kind);
        Assert.Contains("KeyLogging", e.Message);
        Assert.Contains("beta", e.Message);
    }

    [Fact]
    public void Register_SameNameTwice_FirstKept()
    {
        var other = new FakeBackend("alpha", TlsFeatures.KeyLogging, "other");
        var registry = Registry().Register(other);

        Assert.Equal(3, registry.Backends.Count);
        Assert.Same(Alpha, registry.Get("alpha"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Alpha")]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("under_score")]
    public void Register_InvalidName_Rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => new TlsBackendRegistry().Register(new FakeBackend(name, Both)));
    }

    [Fact]
    public void Register_ValidNameWithDigitsAndDash_Accepted()
    {
        var registry = new TlsBackendRegistry().Register(new FakeBackend("tls-13x", Both));

        Assert.Equal("tls-13x", Assert.Single(registry.Backends).Name);
    }

    [Fact]
    public void Backends_InRegistrationOrder()
    {
        Assert.Equal(["alpha", "beta", "gamma"], Registry().Backends.Select(b => b.Name));
    }
}
