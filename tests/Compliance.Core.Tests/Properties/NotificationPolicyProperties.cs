using System.Text.Json;
using Compliance.Core.Notifications;
using Compliance.Core.Storage;
using Compliance.Core.Tests.Notifications;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Tests.Properties;

/// <summary>
/// The notification policy over random histories of one machine: every entry into a needed action is notified once,
/// every resolution once, a reminder exactly when one is due, and a verdict seen twice sends nothing more.
/// </summary>
public sealed class NotificationPolicyProperties
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _reminder = TimeSpan.FromDays(7);
    private static readonly NotificationPolicy _policy = new(Options.Create(new NotificationOptions { ReminderInterval = _reminder }));

    private static readonly Gen<(string Status, string[] Actions, TimeSpan Gap)> _step =
        Gen.Zip(
            Gen.Elements(
                ("Compliant", Array.Empty<string>()),
                ("Exempt", Array.Empty<string>()),
                ("Unknown", Array.Empty<string>()),
                ("ActionRequired", ["GuestUpdate"]),
                ("ActionRequired", ["KvaShadowing"]),
                ("ActionRequired", new[] { "GuestUpdate", "KvaShadowing" })),
            Gen.Choose(1, 60 * 24 * 10).Select(minutes => TimeSpan.FromMinutes(minutes)),
            (verdict, gap) => (verdict.Item1, verdict.Item2, gap));

    private static (string Action, string Reason) Why(NotificationMessage message)
    {
        using var data = JsonDocument.Parse(message.DataJson);
        var notification = data.RootElement.GetProperty("notification");
        return (notification.GetProperty("action").GetString()!, notification.GetProperty("reason").GetString()!);
    }

    [Fact]
    public void Decide_OverAnyHistory_NoDuplicateAndNoMiss() =>
        PropertyRuns.Check(Prop.ForAll(_step.ListOf().ToArbitrary(), steps =>
        {
            IReadOnlyList<OpenAction> open = [];
            var model = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var at = _t0;
            foreach (var (status, actions, gap) in steps)
            {
                at += gap;
                var verdict = NotificationPolicyTests.Verdict(status, at, actions);
                var decision = _policy.Decide(verdict, open);

                var expected = new List<(string Action, string Reason)>();
                if (status != "Unknown")
                {
                    foreach (var action in actions)
                    {
                        if (!model.TryGetValue(action, out var notified))
                        {
                            expected.Add((action, "entered"));
                            model[action] = at;
                        }
                        else if (at - notified >= _reminder)
                        {
                            expected.Add((action, "reminder"));
                            model[action] = at;
                        }
                    }

                    foreach (var resolved in model.Keys.Where(a => !actions.Contains(a)).ToList())
                    {
                        expected.Add((resolved, "resolved"));
                        model.Remove(resolved);
                    }
                }

                var actual = decision.Messages.Select(Why).ToList();
                if (!actual.OrderBy(m => m).SequenceEqual(expected.OrderBy(m => m))
                    || !decision.Messages.All(m => ids.Add(m.Id))
                    || !decision.OpenActions.Select(o => o.Action).Order().SequenceEqual(model.Keys.Order()))
                {
                    return false;
                }

                // The same verdict delivered again (a redelivered batch, a replayed event) sends nothing more.
                if (_policy.Decide(verdict, decision.OpenActions).Messages.Count != 0)
                {
                    return false;
                }

                open = decision.OpenActions;
            }

            return true;
        }), cases: 500);
}
