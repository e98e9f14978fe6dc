using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>The ServiceAccount and Priority admission the controller applies to the pods it creates.</summary>
public sealed class DaemonSetControllerAdmissionTests : IAsyncLifetime
{
    private readonly DaemonSetControllerHarness _harness = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _harness.Store.CreateAsync(Node("n1"), Token).DefaultTimeout();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<DaemonSet> CreateDaemonSetAsync(Action<PodSpec> change)
    {
        var ds = DaemonSet();
        change(ds.Spec.Template.Spec);
        return await _harness.Store.CreateAsync(ds, Token).DefaultTimeout();
    }

    private IReadOnlyList<Pod> PodsOf(DaemonSet ds) => _harness.Store.PodsControlledBy(ds.Metadata.Uid);

    private Event? FailedCreate() => _harness.Store.List<Event>("default").SingleOrDefault(e => e.Reason == "FailedCreate");

    private static ServiceAccount Account(string name, params string[] pullSecrets)
    {
        var account = new ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new ObjectMeta { Name = name, Namespace = "default" } };
        account.ImagePullSecrets.Add(pullSecrets.Select(s => new LocalObjectReference { Name = s }));
        return account;
    }

    private static PriorityClass Class(string name, int value, bool globalDefault = false, string policy = "PreemptLowerPriority") => new()
    {
        ApiVersion = "scheduling.k8s.io/v1",
        Kind = "PriorityClass",
        Metadata = new ObjectMeta { Name = name },
        Value = value,
        GlobalDefault = globalDefault,
        PreemptionPolicy = policy,
    };

    [Fact]
    public async Task Loop_ServiceAccountMissing_FailedCreateThenThePodOnceItExists()
    {
        await _harness.StartAsync();
        var ds = await CreateDaemonSetAsync(s => s.ServiceAccountName = "fluentd");

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(FailedCreate() is not null), "a FailedCreate event");
        var failed = FailedCreate()!;
        Assert.Equal(("Warning", "DaemonSet", "agent", "daemonset-controller"), (failed.Type, failed.InvolvedObject.Kind, failed.InvolvedObject.Name, failed.Source.Component));
        Assert.Equal("Error creating: pods \"agent-\" is forbidden: error looking up service account default/fluentd: serviceaccount \"fluentd\" not found", failed.Message);
        Assert.Empty(PodsOf(ds));

        await _harness.Store.CreateAsync(Account("fluentd", "regcred"), Token).DefaultTimeout();

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(PodsOf(ds).Count == 1), "the pod, once its service account exists");
        var spec = PodsOf(ds)[0].Spec;
        Assert.Equal(("fluentd", "fluentd"), (spec.ServiceAccountName, spec.ServiceAccount));
        Assert.Equal(["regcred"], spec.ImagePullSecrets.Select(s => s.Name));
    }

    [Fact]
    public async Task Loop_PriorityClassMissing_FailedCreateThenPodWithItsPriority()
    {
        await _harness.StartAsync();
        var ds = await CreateDaemonSetAsync(s => s.PriorityClassName = "high");

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(FailedCreate() is not null), "a FailedCreate event");
        Assert.Equal("Error creating: pods \"agent-\" is forbidden: no PriorityClass with name high was found", FailedCreate()!.Message);

        await _harness.Store.CreateAsync(Class("high", 1000, policy: "Never"), Token).DefaultTimeout();

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(PodsOf(ds).Count == 1), "the pod, once its priority class exists");
        var spec = PodsOf(ds)[0].Spec;
        Assert.Equal(("high", 1000, "Never"), (spec.PriorityClassName, spec.Priority, spec.PreemptionPolicy));
    }

    [Fact]
    public async Task SyncAsync_BuiltInClass_PriorityResolved()
    {
        await _harness.Store.CreateAsync(SystemPriorityClasses.Find("system-node-critical")!.Clone(), Token).DefaultTimeout();
        var ds = await CreateDaemonSetAsync(s => s.PriorityClassName = "system-node-critical");

        await _harness.SyncAsync();

        Assert.Equal(2000001000, Assert.Single(PodsOf(ds)).Spec.Priority);
    }

    [Fact]
    public async Task SyncAsync_NoClassNamed_GlobalDefaultOrZero()
    {
        var ds = await CreateDaemonSetAsync(_ => { });
        await _harness.SyncAsync();
        var plain = Assert.Single(PodsOf(ds)).Spec;
        Assert.Equal(("default", "", 0, "PreemptLowerPriority"), (plain.ServiceAccountName, plain.PriorityClassName, plain.Priority, plain.PreemptionPolicy));

        await _harness.Store.CreateAsync(Class("everyone", 7, globalDefault: true), Token).DefaultTimeout();
        var second = await _harness.Store.CreateAsync(DaemonSet("second"), Token).DefaultTimeout();
        await _harness.SyncAsync("default/second");

        var defaulted = Assert.Single(PodsOf(second)).Spec;
        Assert.Equal(("everyone", 7), (defaulted.PriorityClassName, defaulted.Priority));
    }

    [Fact]
    public async Task SyncAsync_TemplatePriorityDisagreesWithClass_Refused()
    {
        await _harness.Store.CreateAsync(Class("high", 1000), Token).DefaultTimeout();
        var ds = await CreateDaemonSetAsync(s =>
        {
            s.PriorityClassName = "high";
            s.Priority = 5;
        });

        await _harness.SyncAsync();

        Assert.Empty(PodsOf(ds));
        Assert.Equal("Error creating: pods \"agent-\" is forbidden: the integer value of priority (5) must not be provided in pod spec; "
            + "priority admission controller computed 1000 from the given PriorityClass name", FailedCreate()!.Message);
    }

    [Fact]
    public async Task SyncAsync_DefaultServiceAccountNotYetThere_PodCreated()
    {
        var ds = await CreateDaemonSetAsync(s => s.ServiceAccountName = "default");

        await _harness.SyncAsync();

        Assert.Single(PodsOf(ds));
        Assert.Null(FailedCreate());
    }

    [Fact]
    public async Task SyncAsync_PodHasItsOwnPullSecrets_AccountsNotAdded()
    {
        await _harness.Store.CreateAsync(Account("fluentd", "from-account"), Token).DefaultTimeout();
        var ds = await CreateDaemonSetAsync(s =>
        {
            s.ServiceAccountName = "fluentd";
            s.ImagePullSecrets.Add(new LocalObjectReference { Name = "own" });
        });

        await _harness.SyncAsync();

        Assert.Equal(["own"], Assert.Single(PodsOf(ds)).Spec.ImagePullSecrets.Select(s => s.Name));
    }
}
