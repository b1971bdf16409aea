namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// The refill rate a pacer assumes for its bucket. It starts at the documented rate, which may be wrong for this
/// subscription: every 429 lowers it by a fifth (never below a tenth of the documented rate), and every answer that
/// reports the bucket raises it by 1 % (never above the documented rate), so a wrong rate is learned after a few 429s
/// and a burst of them is forgotten slowly. Not thread-safe: the pacer's lock guards it.
/// </summary>
internal sealed class LearnedRate
{
    private readonly double _documented;

    /// <summary>Starts at <paramref name="perSecond"/>, the documented rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="perSecond"/> is not positive.</exception>
    public LearnedRate(double perSecond)
    {
        _documented = perSecond > 0 ? perSecond : throw new ArgumentOutOfRangeException(nameof(perSecond));
        PerSecond = perSecond;
    }

    /// <summary>Requests a second the bucket is assumed to take back.</summary>
    public double PerSecond { get; private set; }

    /// <summary>An answer reported the bucket: recover towards the documented rate.</summary>
    public void Recover() => PerSecond = Math.Min(_documented, PerSecond * 1.01);

    /// <summary>A 429: the bucket refills slower than assumed.</summary>
    public void Lower() => PerSecond = Math.Max(_documented / 10, PerSecond * 0.8);
}
