using Vtls.Conformance.Catalogue;
using Vtls.Conformance.Running;

namespace Vtls.Tests.Scenarios;

public sealed class CatalogueTests
{
    [Fact]
    public void Catalogue_IssueTwoGroups_AreAllPresentWithUniqueIds()
    {
        var ids = ConformanceRunner.Catalogue.Select(s => s.Id).ToArray();

        string[] expected =
        [
            .. Enumerable.Range(1, 14).Select(i => $"S{i:00}"),
            .. Enumerable.Range(1, 6).Select(i => $"C{i:00}"),
            .. Enumerable.Range(1, 9).Select(i => $"R{i:00}"),
            "N01", "N02",
            .. Enumerable.Range(1, 5).Select(i => $"V{i:00}"),
            .. Enumerable.Range(1, 6).Select(i => $"I{i:00}"),
        ];
        Assert.Equal(expected, ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Catalogue_EveryScenario_HasTitleReferenceAndExpectation()
    {
        Assert.All(ConformanceRunner.Catalogue, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Title));
            Assert.False(string.IsNullOrWhiteSpace(s.Reference));
            Assert.False(string.IsNullOrWhiteSpace(s.Expected));
        });
    }

    [Fact]
    public void WhyPeerCannotPlay_OpenSslServerAskedToCloseFirst_GivesFactsReason()
    {
        var s03 = ScenarioCatalogue.Get("S03");

        var reason = s03.WhyPeerCannotPlay(PeerProfile.OpenSsl, TlsRole.Client);

        Assert.NotNull(reason);
        Assert.Contains("s_server", reason);
    }

    [Fact]
    public void WhyPeerCannotPlay_GnuTlsClientMustAnswerCloseNotify_GivesReason()
    {
        var s02 = ScenarioCatalogue.Get("S02");

        Assert.Contains("gnutls-cli", s02.WhyPeerCannotPlay(PeerProfile.GnuTls, TlsRole.Server));
        Assert.Null(s02.WhyPeerCannotPlay(PeerProfile.GnuTls, TlsRole.Client));
    }

    [Fact]
    public void Select_UnknownSelector_ThrowsListingKnownIds()
    {
        var error = Assert.Throws<ArgumentException>(() => ScenarioCatalogue.Select(["Z99"]));

        Assert.Contains("S01", error.Message);
    }

    [Fact]
    public void Select_GroupLetter_SelectsTheGroup()
    {
        var selected = ScenarioCatalogue.Select(["n"]);

        Assert.Equal(["N01", "N02"], selected.Select(s => s.Id));
    }
}
