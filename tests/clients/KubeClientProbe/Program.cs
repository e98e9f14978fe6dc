// Lists the DaemonSets of a namespace and watches them from the list's version, as an informer does: on a 410 Expired
// it lists again, on a broken connection it watches again from the last version it saw. Prints one line per step
// (LIST a,b / EVENT Added a / EXPIRED / RETRY reason) until its standard input closes. With "in-cluster NODE", it runs
// inside a pod instead (InCluster.cs).
using k8s;
using k8s.Autorest;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: KubeClientProbe KUBECONFIG NAMESPACE | KubeClientProbe in-cluster NODE");
    return 2;
}

if (args[0] == "in-cluster")
{
    return await InCluster.RunAsync(args[1]);
}

var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(args[0]));
var ns = args[1];
using var stop = new CancellationTokenSource();
_ = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync() is not null)
    {
    }

    await stop.CancelAsync();
});

async Task<string> ListAsync()
{
    while (true)
    {
        try
        {
            var list = await client.AppsV1.ListNamespacedDaemonSetAsync(ns, cancellationToken: stop.Token);
            Console.WriteLine($"LIST {string.Join(",", list.Items.Select(d => d.Metadata.Name))}");
            return list.Metadata.ResourceVersion;
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException && !stop.IsCancellationRequested)
        {
            Console.WriteLine($"RETRY list: {ex.GetType().Name}");
            await Task.Delay(200, stop.Token);
        }
    }
}

try
{
    var version = await ListAsync();
    while (!stop.IsCancellationRequested)
    {
        var expired = false;
        try
        {
            await foreach (var (type, ds) in client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, allowWatchBookmarks: true, resourceVersion: version,
                onError: e => expired |= e is KubernetesException { Status.Code: 410 }, cancellationToken: stop.Token))
            {
                version = ds.Metadata.ResourceVersion;
                if (type != WatchEventType.Bookmark)
                {
                    Console.WriteLine($"EVENT {type} {ds.Metadata.Name}");
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or IOException && !stop.IsCancellationRequested)
        {
            Console.WriteLine($"RETRY watch: {ex.GetType().Name}");
            await Task.Delay(200, stop.Token);
        }

        if (expired)
        {
            Console.WriteLine("EXPIRED");
            version = await ListAsync();
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}

return 0;
