namespace Vtls.Cli.Certificates;

/// <summary>Parses public key pins in curl's form: <c>sha256//BASE64</c>, several joined with <c>;</c>.</summary>
internal static class PublicKeyPins
{
    private const string Prefix = "sha256//";

    /// <summary>The SHA-256 SubjectPublicKeyInfo digests in <paramref name="values"/>.</summary>
    /// <param name="values">One or more <c>--pin</c> values.</param>
    /// <exception cref="UsageException">A value is not <c>sha256//</c> and the base64 of 32 bytes.</exception>
    public static byte[][] Parse(IEnumerable<string> values)
    {
        var pins = new List<byte[]>();
        foreach (var value in values)
        {
            var parts = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var part in parts)
            {
                pins.Add(ParseOne(part));
            }
        }

        return pins.ToArray();
    }

    /// <summary>Formats a digest as a pin, the form <c>vtls serve</c> prints for its certificate.</summary>
    /// <param name="spkiSha256">A 32-byte digest.</param>
    public static string Format(byte[] spkiSha256) => Prefix + Convert.ToBase64String(spkiSha256);

    private static byte[] ParseOne(string pin)
    {
        const string Form = "A pin is sha256// followed by the base64 SHA-256 of the SubjectPublicKeyInfo";
        if (!pin.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new UsageException($"{Form}; '{pin}' does not start with sha256//.");
        }

        var digest = new byte[32];
        if (!Convert.TryFromBase64String(pin[Prefix.Length..], digest, out int written) || written != 32)
        {
            throw new UsageException($"{Form} (32 bytes); '{pin}' is not.");
        }

        return digest;
    }
}
