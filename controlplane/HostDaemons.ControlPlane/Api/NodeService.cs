using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Api;

/// <summary>The agents' API. Every call acts for the node its connection identifies, and only on that node's pods.</summary>
internal sealed partial class NodeService(
    IObjectStore store,
    INodeIdentity identity,
    NodeLeases leases,
    NodeAssignmentHub assignments,
    AgentTunnels tunnels,
    EventRecorder events,
    MirrorPods mirrors,
    StreamingCalls streaming,
    ServiceAccounts.ServiceAccountTokens serviceAccountTokens,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    ILogger<NodeService> logger) : HostDaemons.Api.V1.NodeService.NodeServiceBase
{
    public override async Task<RegisterResponse> Register(RegisterRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var errors = new ValidationErrors();
        NameValidation.ValidateLabels(request.Labels, "labels", errors);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(ResourceKind.Node, name, errors);
        }

        NodeRestriction.CheckRegistrationLabels(name, request.Labels.Keys);

        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        leases.Renew(name);
        var node = store.Get<Node>("", name);
        if (node is null)
        {
            try
            {
                node = await store.CreateAsync(NewNode(name, request, now), context.CancellationToken).ConfigureAwait(false);
                Log.NodeRegistered(logger, name);
            }
            catch (ObjectAlreadyExistsException)
            {
                node = null;
            }
        }

        node = await store.MutateAsync<Node>("", name, n =>
        {
            var changed = NodeConditions.MarkReachable(n, now);
            if (!Equals(n.Status.NodeInfo, request.NodeInfo) || !n.Status.Addresses.Equals(request.Addresses) || !n.Status.Capacity.Equals(request.Capacity))
            {
                n.Status.NodeInfo = request.NodeInfo;
                n.Status.Addresses.Clear();
                n.Status.Addresses.Add(request.Addresses);
                SetCapacity(n.Status, request);
                changed = true;
            }

            changed |= WellKnownNodeLabels.Apply(n);
            return changed;
        }, context.CancellationToken).ConfigureAwait(false) ?? node;

        return new RegisterResponse
        {
            Node = node,
            HeartbeatIntervalSeconds = (int)Math.Max(1, Math.Round(options.Value.HeartbeatInterval.TotalSeconds)),
        };
    }

    public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var node = store.Get<Node>("", name);
        if (node is not null)
        {
            leases.Renew(name);
        }

        return Task.FromResult(new HeartbeatResponse { Registered = node is not null, ResendStatus = node is not null && !NodeConditions.IsReady(node) });
    }

    public override Task WatchPods(WatchPodsRequest request, IServerStreamWriter<WatchPodsResponse> responseStream, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        return streaming.RunAsync(context, async cancellationToken =>
        {
            Log.WatchStarted(logger, name, request.ResumeRevision);
            await foreach (var message in assignments.WatchAsync(name, request.ResumeRevision, cancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        });
    }

    public override async Task<ReportPodStatusResponse> ReportPodStatus(ReportPodStatusRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var updates = request.Reports.Select(report => ApplyReportAsync(name, report, context.CancellationToken));
        await Task.WhenAll(updates).ConfigureAwait(false);
        return new ReportPodStatusResponse();
    }

    public override Task ReceiveRequests(ReceiveRequestsRequest request, IServerStreamWriter<AgentRequest> responseStream, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        return streaming.RunAsync(context, async cancellationToken =>
        {
            var requests = tunnels.Connect(name);
            try
            {
                await foreach (var agentRequest in requests.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(agentRequest, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                tunnels.Disconnect(name, requests);
            }
        });
    }

    public override async Task<SendLogsResponse> SendLogs(IAsyncStreamReader<LogsUpload> requestStream, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        await streaming.RunAsync(context, cancellationToken => tunnels.AcceptUploadAsync(name, requestStream, cancellationToken)).ConfigureAwait(false);
        return new SendLogsResponse();
    }

    public override async Task<ReportEventsResponse> ReportEvents(ReportEventsRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var source = new EventSource { Component = "hostdaemons-agent", Host = name };
        foreach (var e in request.Events)
        {
            if (NodeAuthorization.BoundPod(store, name, e.Pod) is null)
            {
                continue;
            }

            var about = new EventObjectReference
            {
                Kind = "Pod",
                ApiVersion = "v1",
                Namespace = e.Pod.Namespace,
                Name = e.Pod.Name,
                Uid = e.Pod.Uid,
                FieldPath = e.FieldPath,
            };
            await events.RecordAsync(about, source, e.Type, e.Reason, e.Message, e.Count, e.FirstTimestamp, e.LastTimestamp, context.CancellationToken).ConfigureAwait(false);
        }

        return new ReportEventsResponse();
    }

    public override Task<GetPullCredentialsResponse> GetPullCredentials(GetPullCredentialsRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        // The same answer for a pod of another node, or a mirror pod, as for no pod at all: a node learns nothing about others.
        var pod = NodeAuthorization.BoundWorkloadPod(store, name, request.Pod) ?? throw ApiErrors.NotFound(ResourceKind.Pod, request.Pod?.Name ?? "");
        return Task.FromResult(PullCredentials.For(store, pod, logger));
    }

    public override Task<GetPodResourcesResponse> GetPodResources(GetPodResourcesRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var response = new GetPodResourcesResponse();
        foreach (var key in request.Pods)
        {
            response.Pods.Add(NodeAuthorization.BoundWorkloadPod(store, name, key) is { } pod ? PodResources.For(store, pod, key) : PodResources.NotFound(key));
        }

        return Task.FromResult(response);
    }

    public override Task<RequestPodTokenResponse> RequestPodToken(RequestPodTokenRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var pod = NodeAuthorization.BoundWorkloadPod(store, name, request.Pod) ?? throw ApiErrors.NotFound(ResourceKind.Pod, request.Pod?.Name ?? "");
        var accountName = pod.Spec?.ServiceAccountName is { Length: > 0 } named ? named : "default";
        var account = store.Get<ServiceAccount>(pod.Metadata.Namespace, accountName) ?? throw ApiErrors.NotFound(ResourceKind.ServiceAccount, accountName);
        var seconds = request.ExpirationSeconds == 0 ? (long)ServiceAccounts.ServiceAccountTokens.DefaultExpiration.TotalSeconds : request.ExpirationSeconds;
        if (seconds < ServiceAccounts.ServiceAccountTokens.MinExpiration.TotalSeconds)
        {
            throw ApiErrors.BadRequest("expiration_seconds: may not specify a duration less than 10 minutes");
        }

        var (token, expires) = serviceAccountTokens.Issue(account, [.. request.Audiences], TimeSpan.FromSeconds(seconds), pod, store.Get<Node>("", name));
        return Task.FromResult(new RequestPodTokenResponse { Token = token, ExpirationTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(expires) });
    }

    public override async Task<SyncStaticPodsResponse> SyncStaticPods(SyncStaticPodsRequest request, ServerCallContext context)
    {
        var name = identity.Resolve(context);
        var rejected = await mirrors.SyncAsync(name, request.Pods, request.ManifestErrors, context.CancellationToken).ConfigureAwait(false);
        var response = new SyncStaticPodsResponse();
        response.Rejected.Add(rejected);
        return response;
    }

    private async Task ApplyReportAsync(string nodeName, PodStatusReport report, CancellationToken cancellationToken)
    {
        var key = report.Pod;
        if (NodeAuthorization.BoundPod(store, nodeName, key) is not { } stored)
        {
            return;
        }

        if (report.Terminated && stored.IsTerminating())
        {
            await store.DeleteAsync<Pod>(key.Namespace, key.Name, key.Uid, cancellationToken).ConfigureAwait(false);
            Log.PodTerminated(logger, key.Namespace, key.Name, nodeName);
            return;
        }

        if (report.Status is null)
        {
            return;
        }

        await store.MutateAsync<Pod>(key.Namespace, key.Name, pod =>
        {
            // A pod that failed or completed stays so, as in Kubernetes: the controller replaces it.
            if (pod.Metadata.Uid != key.Uid || Equals(pod.Status, report.Status) || pod.Status?.Phase is "Failed" or "Succeeded")
            {
                return false;
            }

            pod.Status = report.Status;
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void SetCapacity(NodeStatus status, RegisterRequest request)
    {
        status.Capacity.Clear();
        status.Capacity.Add(request.Capacity);
        status.Allocatable.Clear();
        status.Allocatable.Add(request.Capacity);
    }

    private static Node NewNode(string name, RegisterRequest request, Timestamp now)
    {
        var node = new Node
        {
            ApiVersion = ResourceKinds.Node.ApiVersion,
            Kind = ResourceKinds.Node.KindName,
            Metadata = new ObjectMeta { Name = name },
            Spec = new NodeSpec(),
            Status = new NodeStatus { NodeInfo = request.NodeInfo },
        };
        node.Status.Addresses.Add(request.Addresses);
        SetCapacity(node.Status, request);
        node.Metadata.Labels.Add(request.Labels);
        NodeConditions.SetReady(node, "True", "AgentReady", "agent is posting ready status", now);
        return node;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Node {Node} registered")]
        public static partial void NodeRegistered(ILogger logger, string node);

        [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Node {Node} watches its pods from revision {Revision}")]
        public static partial void WatchStarted(ILogger logger, string node, long revision);

        [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} terminated on node {Node}")]
        public static partial void PodTerminated(ILogger logger, string @namespace, string pod, string node);
    }
}
