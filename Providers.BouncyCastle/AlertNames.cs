using Org.BouncyCastle.Tls;

namespace Vtls.Providers.BouncyCastle;

/// <summary>Turns BouncyCastle's alert numbers into <see cref="TlsAlertDescription"/> and RFC names.</summary>
internal static class AlertNames
{
    /// <summary>The shared enum value; the codes are the registry's in both.</summary>
    /// <param name="description">BouncyCastle's alert description.</param>
    public static TlsAlertDescription ToDescription(short description) => (TlsAlertDescription)(byte)description;

    /// <summary>The alert's RFC name, for example <c>bad_certificate</c>.</summary>
    /// <param name="description">BouncyCastle's alert description.</param>
    public static string Name(short description) => ToDescription(description).ToRfcName();

    /// <summary><c>warning</c> or <c>fatal</c>.</summary>
    /// <param name="level">BouncyCastle's alert level.</param>
    public static string Level(short level) => level == AlertLevel.fatal ? "fatal" : "warning";
}
