namespace Vtls.Conformance.Wire;

/// <summary>What the recorder does toward a direction's receiver.</summary>
internal enum WireOutputKind
{
    /// <summary>Write the bytes, in one send.</summary>
    Write,

    /// <summary>Half-close toward the receiver (FIN).</summary>
    Fin,

    /// <summary>Reset both sides (RST).</summary>
    Reset,
}

/// <summary>One step of forwarding: bytes to write, a FIN, or a reset.</summary>
/// <param name="Kind">The step.</param>
/// <param name="Bytes">The bytes, for <see cref="WireOutputKind.Write"/>.</param>
internal readonly record struct WireOutput(WireOutputKind Kind, byte[]? Bytes = null)
{
    public static WireOutput Fin => new(WireOutputKind.Fin);

    public static WireOutput Reset => new(WireOutputKind.Reset);

    public static WireOutput Write(byte[] bytes) => new(WireOutputKind.Write, bytes);
}
