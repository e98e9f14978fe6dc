using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>Pods, as the control plane assigns them, and the containers the agent would have made of them.</summary>
internal static class TestPods
{
    public const string Node = "node-a";
    public const string Namespace = "kube-system";
    public const string Image = "registry.local/fluentd:1.16";

    public static Pod Pod(string name = "fluentd-x7k2p", string uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", params Container[] containers)
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = Namespace,
                Uid = uid,
                ResourceVersion = "1",
                OwnerReferences =
                {
                    new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "fluentd", Uid = "ds-uid", Controller = true },
                },
            },
            Spec = new PodSpec { NodeName = Node, RestartPolicy = "Always" },
        };
        pod.Spec.Containers.AddRange(containers.Length > 0 ? containers : [Container()]);
        return pod;
    }

    public static Container Container(string name = "main", string image = Image) => new() { Name = name, Image = image };

    /// <summary>Marks the pod as being deleted, as the control plane does on <c>delete pod</c>.</summary>
    public static Pod Terminating(Pod pod, long? gracePeriodSeconds = null, DateTimeOffset? at = null)
    {
        var copy = pod.Clone();
        copy.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(at ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        if (gracePeriodSeconds is { } grace)
        {
            copy.Metadata.DeletionGracePeriodSeconds = grace;
        }

        copy.Metadata.ResourceVersion = (long.Parse(pod.Metadata.ResourceVersion, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        return copy;
    }

    /// <summary>An instance of <paramref name="container"/> as the agent would have created it, in the given state.</summary>
    public static RuntimeContainer Instance(
        DesiredContainer container,
        int attempt,
        ContainerRunState state,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? startedAt = null,
        DateTimeOffset? finishedAt = null,
        int exitCode = 0,
        string? specHash = null)
    {
        var labels = new Dictionary<string, string>(container.Launch.Labels, StringComparer.Ordinal)
        {
            [ContainerLabels.Attempt] = attempt.ToString(CultureInfo.InvariantCulture),
        };
        if (specHash is not null)
        {
            labels[ContainerLabels.SpecHash] = specHash;
        }

        var name = ContainerSpecBuilder.ContainerName(container, attempt);
        return new RuntimeContainer
        {
            Id = "id-" + name,
            Name = name,
            Image = container.Launch.Image,
            ImageId = "sha256:feed",
            Labels = labels,
            State = state,
            ExitCode = exitCode,
            CreatedAt = createdAt,
            StartedAt = startedAt ?? (state is ContainerRunState.Created ? null : createdAt),
            FinishedAt = finishedAt,
        };
    }

    /// <summary>An instance of the pod's container (init container or app container) of that name.</summary>
    public static RuntimeContainer Instance(DesiredPod pod, string name, int attempt, ContainerRunState state, int exitCode = 0, DateTimeOffset? finishedAt = null) =>
        Instance(pod.AllContainers.Single(c => c.Container.Name == name), attempt, state, createdAt: AgentHarness.Epoch.AddMinutes(-10),
            exitCode: exitCode, finishedAt: finishedAt ?? (state == ContainerRunState.Exited ? AgentHarness.Epoch.AddMinutes(-5) : null));

    /// <summary>The pod's sandbox as the agent would have created it.</summary>
    public static RuntimeContainer Sandbox(DesiredPod pod, ContainerRunState state = ContainerRunState.Running) => new()
    {
        Id = "sandbox-0",
        Name = ContainerSpecBuilder.ContainerName(pod.Pod, ContainerLabels.SandboxContainerName, 0),
        Image = PauseImage.Name,
        Labels = new Dictionary<string, string>(pod.Sandbox!.Labels, StringComparer.Ordinal) { [ContainerLabels.Attempt] = "0" },
        State = state,
    };

    /// <summary>The instance, labelled as having joined <paramref name="sandbox"/>.</summary>
    public static RuntimeContainer Joined(RuntimeContainer sandbox, RuntimeContainer instance) => InSandbox(instance, sandbox.Id);

    public static RuntimeContainer InSandbox(RuntimeContainer instance, string sandboxId) =>
        instance with { Labels = new Dictionary<string, string>(instance.Labels, StringComparer.Ordinal) { [ContainerLabels.SandboxId] = sandboxId } };

    /// <summary>A container labelled for <paramref name="node"/> whose pod the agent does not (or no longer) know.</summary>
    public static RuntimeContainer Orphan(string podUid, string podName = "gone-pod", string container = "main", ContainerRunState state = ContainerRunState.Running, string? gracePeriodSeconds = null, string node = Node)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerLabels.Node] = node,
            [ContainerLabels.Namespace] = Namespace,
            [ContainerLabels.Pod] = podName,
            [ContainerLabels.PodUid] = podUid,
            [ContainerLabels.Container] = container,
            [ContainerLabels.Owner] = "DaemonSet/gone",
            [ContainerLabels.SpecHash] = "oldhash",
            [ContainerLabels.Attempt] = "0",
        };
        if (gracePeriodSeconds is not null)
        {
            labels[ContainerLabels.GracePeriod] = gracePeriodSeconds;
        }

        return new RuntimeContainer
        {
            Id = $"orphan-{podUid}-{container}",
            Name = $"hd_{container}_{podName}_{Namespace}_{podUid}_0",
            Image = Image,
            Labels = labels,
            State = state,
        };
    }
}
