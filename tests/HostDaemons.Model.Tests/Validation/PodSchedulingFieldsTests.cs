using HostDaemons.Model.Validation;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>The pod-level fields of issue 13: host aliases, readiness gates, priority and scheduler, with Kubernetes' messages.</summary>
public sealed class PodSchedulingFieldsTests
{
    public static TheoryData<string, string> BadFields => new()
    {
        { "hostAliases: [{ip: gateway, hostnames: [gw]}]", $"{PodSpecPath}.hostAliases[0].ip: Invalid value: \"gateway\": {NameValidation.IpAddressMessage}" },
        { "hostAliases: [{ip: 10.0.0.1, hostnames: [Gate_Way]}]", $"{PodSpecPath}.hostAliases[0].hostnames[0]: Invalid value: \"Gate_Way\": {NameValidation.Dns1123SubdomainMessage}" },
        { "readinessGates: [{conditionType: \"ready now\"}]", $"{PodSpecPath}.readinessGates[0].conditionType: Invalid value: \"ready now\": {NameValidation.QualifiedNameMessage}" },
        { "priorityClassName: Critical", $"{PodSpecPath}.priorityClassName: Invalid value: \"Critical\": {NameValidation.Dns1123SubdomainMessage}" },
        { "preemptionPolicy: Always", $"{PodSpecPath}.preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\"" },
        { "schedulerName: My Scheduler", $"{PodSpecPath}.schedulerName: Invalid value: \"My Scheduler\": {NameValidation.Dns1123SubdomainMessage}" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Read_BadPodField_IsRefusedWithKubernetesMessage(string pod, string expected)
    {
        Assert.Equal([expected], Errors(pod: pod));
    }

    [Fact]
    public void Read_PodFieldsOfTheUpstreamManifests_DecodeAndDefault()
    {
        var spec = Spec(pod: """
            priorityClassName: system-node-critical
            priority: 2000001000
            preemptionPolicy: Never
            automountServiceAccountToken: false
            enableServiceLinks: false
            hostIPC: true
            readinessGates:
            - conditionType: example.com/feature-1
            hostAliases:
            - ip: 127.0.0.1
              hostnames: [foo.local, bar.local]
            - ip: "2001:db8::1"
            """);

        Assert.Equal(("system-node-critical", 2000001000, "Never"), (spec.PriorityClassName, spec.Priority, spec.PreemptionPolicy));
        Assert.False(spec.AutomountServiceAccountToken);
        Assert.False(spec.EnableServiceLinks);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.Equal(["foo.local", "bar.local"], spec.HostAliases[0].Hostnames);
        Assert.Equal("example.com/feature-1", spec.ReadinessGates[0].ConditionType);
    }

    [Fact]
    public void Read_DaemonSetTemplate_GetsNoEnableServiceLinks()
    {
        // Kubernetes defaults it on Pods only (SetDefaults_Pod); a template's pods get it when they are created.
        Assert.False(Spec().HasEnableServiceLinks);
    }
}
