using System.Net;
using k8s;
using k8s.Autorest;

/// <summary>
/// The in-pod mode: only what a pod is given (KUBERNETES_SERVICE_HOST/PORT, the mounted token, ca.crt and namespace,
/// through the client's own InClusterConfig) to list the pods on <c>node</c> and then the Secrets of its namespace.
/// Prints <c>PODS a,b</c> or <c>PODS ERROR code</c>, then <c>SECRETS n</c> or <c>SECRETS ERROR code</c>.
/// </summary>
internal static class InCluster
{
    public static async Task<int> RunAsync(string node)
    {
        var config = KubernetesClientConfiguration.InClusterConfig();
        using var client = new Kubernetes(config);
        Console.WriteLine($"SERVER {config.Host} NAMESPACE {config.Namespace}");
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(config.Namespace, fieldSelector: $"spec.nodeName={node}");
            Console.WriteLine($"PODS {string.Join(",", pods.Items.Select(p => p.Metadata.Name))}");
        }
        catch (HttpOperationException ex)
        {
            Console.WriteLine($"PODS ERROR {(int)ex.Response.StatusCode}");
        }

        try
        {
            var secrets = await client.CoreV1.ListNamespacedSecretAsync(config.Namespace);
            Console.WriteLine($"SECRETS {secrets.Items.Count}");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            Console.WriteLine($"SECRETS ERROR {(int)ex.Response.StatusCode}");
        }

        return 0;
    }
}
