using HostDaemons.Agent.Policy;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Validation;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent;

[OptionsValidator]
internal sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
}

/// <summary>
/// The rules attributes cannot state: URLs, the node name, the label list, and the periods (a TimeSpan range attribute
/// needs reflection over type converters, which a Native AOT build cannot keep).
/// </summary>
internal sealed class AgentOptionsCrossValidator : IValidateOptions<AgentOptions>
{
    private static readonly TimeSpan s_minPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxPeriod = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (!Uri.TryCreate(options.Server, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            result.AddError($"must be an https:// URL (or http:// for a development-mode control plane), got \"{options.Server}\"", "server");
        }
        else if (server.Scheme == Uri.UriSchemeHttps && !File.Exists(Path.Combine(options.StateDir, "pki", "ca.crt"))
            && options.JoinToken.Length == 0 && options.JoinTokenFile.Length == 0)
        {
            result.AddError($"{options.Server} is https:// but {Path.Combine(options.StateDir, "pki", "ca.crt")} does not exist: "
                + "the agent trusts only the cluster CA kept there (with node.crt and node.key, its client certificate); "
                + "to join the cluster, pass --join-token-file FILE (or --join-token, or HOSTDAEMONS_JOIN_TOKEN) with a token from hdctl token create", "server");
        }

        if (options.JoinToken.Length > 0 && !Model.Security.JoinToken.TryParse(options.JoinToken, out _, out var tokenError))
        {
            result.AddError(tokenError, "join-token");
        }

        if (options.JoinToken.Length > 0 && options.JoinTokenFile.Length > 0)
        {
            result.AddError("give the join token once: --join-token or --join-token-file, not both", "join-token-file");
        }

        if (!NameValidation.IsDns1123Subdomain(options.EffectiveNodeName))
        {
            result.AddError($"\"{options.EffectiveNodeName}\" is not a valid node name: {NameValidation.Dns1123SubdomainMessage}", "node-name");
        }

        if (!NodeLabelList.TryParse(options.NodeLabels, out var labels, out var labelError))
        {
            result.AddError(labelError, "node-labels");
        }
        else if (NodeLabelRestriction.Forbidden(labels.Keys) is { Count: > 0 } forbidden)
        {
            // The control plane refuses the registration (NodeRestriction); as the kubelet, the agent says so at start.
            result.AddError($"a node is not allowed to set the following labels on itself: {string.Join(", ", forbidden)} ({NodeLabelRestriction.Rule})", "node-labels");
        }

        if (!AllowedHostPath.TryParseList(options.AllowedHostPaths, out _, out var pathError))
        {
            result.AddError(pathError, "allowed-host-paths");
        }

        if (options.ApiServerAddress.Length > 0 && !ServiceAccounts.ApiServerEndpoint.TryParse(options.ApiServerAddress, out _))
        {
            result.AddError($"must be an address containers can reach the control plane at, such as https://10.0.0.1:7443 or 10.0.0.1:7443, got \"{options.ApiServerAddress}\"", "api-server-address");
        }

        if (options.DockerEndpoint.Length > 0 && !Uri.TryCreate(options.DockerEndpoint, UriKind.Absolute, out _))
        {
            result.AddError($"must be a URI such as unix:///var/run/docker.sock, got \"{options.DockerEndpoint}\"", "docker-endpoint");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.LogMaxSize, "^[0-9]+[kmg]?$"))
        {
            result.AddError($"must be a size such as 10m or 1g, got \"{options.LogMaxSize}\"", "log-max-size");
        }

        if (options.PodNetwork.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(options.PodNetwork, "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"))
        {
            result.AddError($"must be none or the name of a Docker network, got \"{options.PodNetwork}\"", "pod-network");
        }
        else if (options.PodNetwork == "host")
        {
            result.AddError("must be none or the name of a Docker network, not host (a pod that should share the host's network says hostNetwork: true)", "pod-network");
        }

        CheckPeriod(result, options.ResyncPeriod, "resync-period");
        CheckPeriod(result, options.ManifestCheckPeriod, "manifest-check-period");
        CheckPeriod(result, options.PodResourceRefreshPeriod, "pod-resource-refresh-period");
        return result.Build();
    }

    private static void CheckPeriod(ValidateOptionsResultBuilder result, TimeSpan period, string flag)
    {
        if (period < s_minPeriod || period > s_maxPeriod)
        {
            result.AddError($"must be between 1s and 1h, got {period}", flag);
        }
    }
}
