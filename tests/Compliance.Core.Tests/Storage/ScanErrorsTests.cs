using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Core.Tests.Storage;

public sealed class ScanErrorsTests
{
    [Fact]
    public void Bound_KeepsTheFirstErrors_InOrder()
    {
        var errors = Enumerable.Range(0, 2_000).Select(i => new ReportError($"s{i}", $"m{i}")).ToList();

        var kept = ScanErrors.Bound(errors);

        Assert.Equal(errors.Take(ScanErrors.MaxKept), kept);
    }

    [Fact]
    public void Cut_LongScopeAndMessage_EndWithAnEllipsisWithinTheirLimits()
    {
        var cut = ScanErrors.Cut(new ReportError(new string('s', 1_000), new string('m', 5_000)));

        Assert.Equal(ScanErrors.MaxScopeLength, cut.Scope.Length);
        Assert.Equal(ScanErrors.MaxMessageLength, cut.Message.Length);
        Assert.EndsWith("…", cut.Scope, StringComparison.Ordinal);
        Assert.EndsWith("…", cut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cut_ShortError_IsUnchanged()
    {
        var error = new ReportError("subscriptions", "HttpRequestException: forbidden");

        Assert.Equal(error, ScanErrors.Cut(error));
    }
}
