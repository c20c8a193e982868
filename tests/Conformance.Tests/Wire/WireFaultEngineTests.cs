using Vtls.Conformance.Wire;
using Vtls.Tests.Support;

namespace Vtls.Tests.Wire;

/// <summary>The fault engine byte for byte, without sockets: what it forwards for each piece sent.</summary>
public class WireFaultEngineTests
{
    [Fact]
    public void Process_NoFault_ForwardsEachPieceAsItArrives()
    {
        var engine = new WireFaultEngine();
        var record = Records.Data(10);

        var first = engine.Process(record.AsSpan(0, 3));
        var second = engine.Process(record.AsSpan(3));

        Assert.Equal(record[..3], Assert.Single(first).Bytes);
        Assert.Equal(record[3..], Assert.Single(second).Bytes);
    }

    [Fact]
    public void Arm_WhileARecordIsHalfThrough_AppliesToTheNextRecordOnly()
    {
        var engine = new WireFaultEngine();
        var first = Records.Data(10, fill: 1);
        var second = Records.Data(10, fill: 2);
        engine.Process(first.AsSpan(0, 2));

        engine.Arm(new WireFault(WireFaultKind.CorruptNextRecord));
        var rest = engine.Process(Records.Concat(first[2..], second));

        var forwarded = rest.SelectMany(o => o.Bytes!).ToArray();
        var expected = Records.Concat(first[2..], second);
        expected[^1] ^= 0x01;
        Assert.Equal(expected, forwarded);
    }

    [Fact]
    public void Process_HeldRecordSplitOneByteAtATime_IsForwardedWholeOnceComplete()
    {
        var engine = new WireFaultEngine();
        engine.Arm(new WireFault(WireFaultKind.CorruptNextRecord));
        var record = Records.Data(6, fill: 0);
        var outputs = new List<WireOutput>();

        for (int i = 0; i < record.Length - 1; i++)
        {
            outputs.AddRange(engine.Process(record.AsSpan(i, 1)));
        }

        Assert.Empty(outputs);
        var last = Assert.Single(engine.Process(record.AsSpan(record.Length - 1)));
        Assert.Equal(record.Length, last.Bytes!.Length);
        Assert.Equal(0x01, last.Bytes[^1]);
    }

    [Fact]
    public void EndOfStream_WhileHoldingACutRecord_ForwardsItThenFin()
    {
        var engine = new WireFaultEngine();
        engine.Arm(new WireFault(WireFaultKind.CorruptNextRecord));
        var record = Records.Data(20);
        engine.Process(record.AsSpan(0, 9));

        var outputs = engine.EndOfStream();

        Assert.Equal(2, outputs.Count);
        Assert.Equal(record[..9], outputs[0].Bytes);
        Assert.Equal(WireOutputKind.Fin, outputs[1].Kind);
    }

    [Fact]
    public void ResetNow_AsksForAResetAtOnce()
    {
        var engine = new WireFaultEngine();

        var outputs = engine.Arm(new WireFault(WireFaultKind.ResetNow));

        Assert.Equal(WireOutputKind.Reset, Assert.Single(outputs).Kind);
        Assert.Empty(engine.Process(Records.Data(4)));
    }

    [Fact]
    public void CoalesceUntilSmallRecord_EmitsEverythingHeldAsOneWrite()
    {
        var engine = new WireFaultEngine();
        engine.Arm(new WireFault(WireFaultKind.CoalesceUntilSmallRecord));
        var data = Records.Concat(Records.Data(100), Records.Data(200));

        Assert.Empty(engine.Process(data));
        var outputs = engine.Process(Records.Tls13Alert());

        Assert.Equal(Records.Concat(data, Records.Tls13Alert()), Assert.Single(outputs).Bytes);
        Assert.False(engine.IsCoalescing);
    }

    [Fact]
    public void FlushCoalescedIfStill_StaleGeneration_DoesNothing()
    {
        var engine = new WireFaultEngine();
        engine.Arm(new WireFault(WireFaultKind.CoalesceUntilSmallRecord));
        engine.Process(Records.Data(100));
        int generation = engine.CoalesceGeneration;

        Assert.Empty(engine.FlushCoalescedIfStill(generation + 1));
        Assert.Single(engine.FlushCoalescedIfStill(generation));
    }
}
