using HostDaemons.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
{
    ["HOSTDAEMONS_SERVER"] = Environment.GetEnvironmentVariable("HOSTDAEMONS_SERVER"),
};
return await HdctlApp.RunAsync(args, Console.Out, Console.Error, Console.In, variables, TimeProvider.System, cancel.Token);
