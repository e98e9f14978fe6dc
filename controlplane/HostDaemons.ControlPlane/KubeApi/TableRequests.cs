using HostDaemons.Model.Printing;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// Server-side printing's negotiation: a client that accepts <c>application/json;as=Table;v=v1;g=meta.k8s.io</c>
/// (kubectl get) gets a Table of the shared columns (<see cref="ResourceTables"/>), with <c>includeObject</c>.
/// </summary>
internal sealed record TableRequest(string ApiVersion, IncludeObject Include)
{
    /// <summary>The Table the request asks for, or null when it wants objects.</summary>
    public static TableRequest? From(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            foreach (var media in (accept ?? "").Split(','))
            {
                var parameters = media.Split(';', StringSplitOptions.TrimEntries);
                if (parameters[0] is not ("application/json" or "*/*") && parameters[0] != "application/vnd.kubernetes.protobuf")
                {
                    continue;
                }

                if (!parameters.Contains("as=Table") || !parameters.Contains("g=meta.k8s.io"))
                {
                    // The first acceptable type that is not a Table wins, as the API server's negotiation does.
                    return null;
                }

                var version = parameters.Contains("v=v1beta1") ? KubeTableWriter.V1Beta1 : KubeTableWriter.V1;
                var includeText = request.Query["includeObject"].ToString();
                if (!IncludeObjects.TryParse(includeText, out var include))
                {
                    throw new KubeStatusException(KubeStatus.BadRequest(IncludeObjects.UnrecognizedMessage(includeText)));
                }

                return new TableRequest(version, include);
            }
        }

        return null;
    }
}
