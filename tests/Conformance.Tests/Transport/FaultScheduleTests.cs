using Vtls.Conformance.Transport;

namespace Vtls.Tests.Transport;

public class FaultScheduleTests
{
    [Fact]
    public void Chaos_SameSeed_MakesTheSameDecisions()
    {
        var first = Decisions(FaultSchedule.Chaos(42));
        var second = Decisions(FaultSchedule.Chaos(42));
        var other = Decisions(FaultSchedule.Chaos(43));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Chaos_Mixes_WouldBlockOneBytePartialAndFull()
    {
        var decisions = Decisions(FaultSchedule.Chaos(7));

        Assert.Contains(decisions, d => d.IsWouldBlock);
        Assert.Contains(decisions, d => !d.IsWouldBlock && d.Limit == 1);
        Assert.Contains(decisions, d => !d.IsWouldBlock && d.Limit is > 1 and < 100);
        Assert.Contains(decisions, d => !d.IsWouldBlock && d.Limit == 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnySchedule_NeverTwoWouldBlocksInARowForOneOperation(int seed)
    {
        var schedule = FaultSchedule.Chaos(seed);
        bool last = false;
        for (int i = 0; i < 1000; i++)
        {
            var d = schedule.Decide(FaultOperation.Send, 100);
            Assert.False(last && d.IsWouldBlock);
            last = d.IsWouldBlock;
        }
    }

    [Fact]
    public void WouldBlockEveryOtherCall_AlternatesPerOperation()
    {
        var schedule = FaultSchedule.WouldBlockEveryOtherCall();

        // Interleaved sends and receives each keep their own turn.
        var pattern = new[]
        {
            schedule.Decide(FaultOperation.Send, 10).IsWouldBlock,
            schedule.Decide(FaultOperation.Receive, 10).IsWouldBlock,
            schedule.Decide(FaultOperation.Send, 10).IsWouldBlock,
            schedule.Decide(FaultOperation.Receive, 10).IsWouldBlock,
            schedule.Decide(FaultOperation.Send, 10).IsWouldBlock,
        };

        Assert.Equal([true, true, false, false, true], pattern);
    }

    [Fact]
    public void Enabled_Off_PassesEverythingUntouched()
    {
        var schedule = FaultSchedule.OneByteAtATime();
        schedule.Enabled = false;

        var d = schedule.Decide(FaultOperation.Receive, 500);

        Assert.Equal(FaultDecision.Pass(500), d);
    }

    private static List<FaultDecision> Decisions(FaultSchedule schedule)
    {
        var list = new List<FaultDecision>();
        for (int i = 0; i < 200; i++)
        {
            list.Add(schedule.Decide(i % 3 == 0 ? FaultOperation.Receive : FaultOperation.Send, 100));
        }

        return list;
    }
}
