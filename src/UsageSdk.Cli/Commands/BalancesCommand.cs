using System.CommandLine;
using System.Text.Json;
using UsageSdk.Cli.Infrastructure;

namespace UsageSdk.Cli.Commands;

/// <summary><c>usage balances [balance-id]</c>: the credit left on a project (<c>/balances</c>).</summary>
internal static class BalancesCommand
{
    public static Command Create(CliHost host)
    {
        var balanceId = new Argument<string?>("balance-id") { Description = "One balance (default: all of the project's).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("balances", "The project's outstanding balances: the credit left, in dollars (or in hours for projects billed in hours), and the purchase it comes from. Needs a key that may read billing (owner or admin).");
        command.Add(balanceId);
        host.Examples(command,
            "usage balances --demo",
            "usage balances --demo --format json");
        command.SetAction((parse, ct) => host.RunAsync(parse, ct, async run =>
        {
            var id = run.Get(balanceId);
            IReadOnlyList<ProjectBalance> balances = string.IsNullOrWhiteSpace(id)
                ? await BillingCommand.NotAllowedAsBillingAsync(() => run.Client.GetBalancesAsync(run.ProjectId, run.CancellationToken)).ConfigureAwait(false)
                : [await BillingCommand.NotAllowedAsBillingAsync(() => run.Client.GetBalanceAsync(run.ProjectId, id.Trim(), run.CancellationToken)).ConfigureAwait(false)];
            await using var output = run.OpenOutput();
            await using var writer = new RecordWriter<ProjectBalance>(output, new RecordSchema<ProjectBalance>
            {
                Table =
                [
                    new("Balance ID", b => b.BalanceId),
                    new("Left", b => Money.Amount(b.Amount, b.Units), Right: true),
                    new("Units", b => b.Units),
                    new("Purchase order", b => b.PurchaseOrderId),
                ],
                Csv =
                [
                    new("balance_id", b => b.BalanceId),
                    new("amount", b => Fmt.Number(b.Amount)),
                    new("units", b => b.Units),
                    new("purchase_order_id", b => b.PurchaseOrderId),
                ],
                Json = (w, b) => JsonSerializer.Serialize(w, b, UsageJson.ProjectBalance),
            });
            foreach (var b in balances)
            {
                await writer.WriteAsync(b).ConfigureAwait(false);
            }
            var usd = balances.Where(b => b.IsUsd).ToList();
            IReadOnlyList<string?>? totals = balances.Count > 1 && usd.Count > 0 ? ["Total (usd)", Money.Cents(usd.Sum(b => b.Amount)), "usd", ""] : null;
            await writer.CompleteAsync(totals, [$"{balances.Count} balance(s) of project {run.ProjectId}{(run.IsDemo ? " (demo data)" : "")}"], "No outstanding balance.").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
