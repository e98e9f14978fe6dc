using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class PodWorkersPullCredentialsTests
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private const string PrivateImage = "127.0.0.1:5000/private/busybox:1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeContainerRuntime _runtime;
    private readonly RestartTracker _restarts;
    private readonly FakeCredentials _credentials = new();
    private readonly FakeLogger<PodWorkers> _logger = new();
    private readonly PodWorkers _workers;

    public PodWorkersPullCredentialsTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _restarts = new RestartTracker(_time);
        _workers = new PodWorkers(_runtime, new PodVolumes(NodeContext.For(TestPods.Node), NullLogger<PodVolumes>.Instance), _restarts,
            new ReconcileSignal(_time), _logger, _credentials);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task CreateAsync(DesiredPod pod)
    {
        _workers.Start(new PodPlan(Uid, pod.Pod.Metadata.Name, [new CreateContainerCommand(pod.Containers[0], 0)]), Ct);
        await _workers.DrainAsync().DefaultTimeout();
    }

    private static DesiredPod Desired(string image = PrivateImage, string pullPolicy = "IfNotPresent", params string[] pullSecrets)
    {
        var pod = TestPods.Pod(name: "web-x7k2p", uid: Uid, containers: [TestPods.Container(image: image)]);
        pod.Spec.Containers[0].ImagePullPolicy = pullPolicy;
        pod.Spec.ImagePullSecrets.Add(pullSecrets.Select(s => new LocalObjectReference { Name = s }));
        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }

    [Fact]
    public async Task Create_PrivateImageWithPullSecret_PullsWithTheMatchingCredential()
    {
        _credentials.Credentials = [new("https://index.docker.io/v1/", "hub", "x", "hub"), new("127.0.0.1:5000", "alice", "s3cret", "regcred")];
        _runtime.RequireCredential(PrivateImage, "alice", "s3cret");

        await CreateAsync(Desired(pullSecrets: ["hub", "regcred"]));

        var pull = Assert.Single(_runtime.Pulls);
        Assert.Equal(new RegistryCredential("127.0.0.1:5000", "alice", "s3cret", "regcred"), pull.Credential);
        Assert.Equal(ContainerRunState.Running, Assert.Single(_runtime.Containers).State);
        Assert.Equal(Uid, Assert.Single(_credentials.AskedFor).Metadata.Uid);
    }

    [Fact]
    public async Task Create_PrivateImageWithoutPullSecrets_PullsAnonymouslyAndFails()
    {
        _runtime.RequireCredential(PrivateImage, "alice", "s3cret");

        await CreateAsync(Desired());

        Assert.Null(Assert.Single(_runtime.Pulls).Credential);
        Assert.Empty(_credentials.AskedFor);
        Assert.Equal("ErrImagePull", _restarts.LastFailure(RestartTracker.Key(Uid, "main"))?.Reason);
        Assert.Empty(_runtime.Containers);
    }

    [Fact]
    public async Task Create_NoCredentialForTheRegistry_PullsAnonymously()
    {
        _credentials.Credentials = [new("r.io", "bob", "pw", "other")];

        await CreateAsync(Desired(pullSecrets: "other"));

        Assert.Null(Assert.Single(_runtime.Pulls).Credential);
        Assert.Single(_runtime.Containers);
    }

    [Fact]
    public async Task Create_ImagePresent_NoPullAndNoCredentialsAsked()
    {
        _runtime.AddLocalImage(PrivateImage);

        await CreateAsync(Desired(pullSecrets: "regcred"));

        Assert.Empty(_runtime.Pulls);
        Assert.Empty(_credentials.AskedFor);
    }

    [Fact]
    public async Task Create_PolicyAlways_PullsWithTheCredential()
    {
        _runtime.AddLocalImage(PrivateImage);
        _credentials.Credentials = [new("127.0.0.1:5000", "alice", "s3cret", "regcred")];

        await CreateAsync(Desired(pullPolicy: "Always", pullSecrets: "regcred"));

        Assert.Equal("alice", Assert.Single(_runtime.Pulls).Credential?.Username);
    }

    [Fact]
    public async Task Create_PolicyAlwaysRefusedButPresent_RunsTheLocalCopy()
    {
        _runtime.AddLocalImage(PrivateImage);
        _runtime.RequireCredential(PrivateImage, "alice", "s3cret");
        _credentials.Credentials = [new("127.0.0.1:5000", "alice", "wrong", "regcred")];

        await CreateAsync(Desired(pullPolicy: "Always", pullSecrets: "regcred"));

        Assert.Single(_runtime.Pulls);
        Assert.Equal(ContainerRunState.Running, Assert.Single(_runtime.Containers).State);
    }

    [Fact]
    public async Task Create_WithCredential_NeverLogsThePassword()
    {
        _credentials.Credentials = [new("127.0.0.1:5000", "alice", "pw-never-logged", "regcred")];

        await CreateAsync(Desired(pullSecrets: "regcred"));

        Assert.NotEmpty(_logger.Collector.GetSnapshot());
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.DoesNotContain("pw-never-logged", r.Message, StringComparison.Ordinal));
    }

    private sealed class FakeCredentials : IPullCredentialSource
    {
        private readonly List<Pod> _askedFor = [];

        public IReadOnlyList<RegistryCredential> Credentials { get; set; } = [];

        public IReadOnlyList<Pod> AskedFor
        {
            get
            {
                lock (_askedFor)
                {
                    return [.. _askedFor];
                }
            }
        }

        public Task<IReadOnlyList<RegistryCredential>> GetAsync(Pod pod, CancellationToken cancellationToken)
        {
            lock (_askedFor)
            {
                _askedFor.Add(pod);
            }

            return Task.FromResult(Credentials);
        }
    }
}
