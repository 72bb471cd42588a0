using System.CommandLine;

using Parmap.Cli.Sweep;

namespace Parmap.Cli.Commands;

/// <summary><c>parmap node --join DIR/cluster.json</c>: serves a <c>parmap run --cluster DIR</c> driver, on this machine's cores.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var join = new Option<string>("--join") { Description = "The cluster.json that 'parmap run --cluster DIR' writes into DIR (a shared folder, or a copy of DIR with its job.pfx).", Required = true, HelpName = "DIR/cluster.json" };
        var cores = new Option<int?>("--cores") { Description = "Programs this node runs at once (default: its cores).", HelpName = "N" };
        var command = new Command("node", "Serve a 'parmap run --cluster DIR' driver: run its items on this machine until the driver is gone. The programs must be at the same paths here.") { join, cores };
        command.SetAction(parse =>
        {
            if (parse.GetValue(cores) is < 1)
            {
                Console.Error.WriteLine("parmap node: --cores must be at least 1.");
                return 2;
            }
            return ClusterSupport.RunNode(parse.GetValue(join)!, parse.GetValue(cores));
        });
        return command;
    }
}
