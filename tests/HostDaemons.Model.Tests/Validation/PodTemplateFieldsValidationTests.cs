using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>The pod spec's volumes, mounts, DNS and PID namespace, read from a DaemonSet manifest.</summary>
public sealed class PodTemplateFieldsValidationTests
{
    private const string HostPathTypes = "\"\", \"DirectoryOrCreate\", \"Directory\", \"FileOrCreate\", \"File\", \"Socket\", \"CharDevice\", \"BlockDevice\"";

    // Volumes

    [Fact]
    public void Read_HostPathAndEmptyDirVolumes_AreValid()
    {
        var spec = Spec(
            """
            volumeMounts:
            - name: logs
              mountPath: /var/log
              readOnly: true
            - name: cache
              mountPath: /cache
              subPath: node/cache
            - name: shm
              mountPath: /dev/shm
            """,
            """
            volumes:
            - name: logs
              hostPath:
                path: /var/log
                type: Directory
            - name: cache
              emptyDir: {}
            - name: shm
              emptyDir:
                medium: Memory
            """);

        Assert.Equal("Directory", spec.Volumes[0].HostPath.Type);
        Assert.Equal("", spec.Volumes[1].EmptyDir.Medium);
        Assert.Equal("Memory", spec.Volumes[2].EmptyDir.Medium);
        Assert.Equal("node/cache", spec.Containers[0].VolumeMounts[1].SubPath);
    }

    [Fact]
    public void Read_VolumeWithHostPathAndEmptyDir_IsForbiddenAtTheSecondInKubernetesOrder()
    {
        var problems = Problems(pod: """
            volumes:
            - name: data
              hostPath:
                path: /data
              emptyDir: {}
            """);

        Assert.Equal([Invalid(19, 9, $"{PodSpecPath}.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type")], problems);
    }

    [Fact]
    public void Read_VolumeWithoutSource_MustSpecifyAType()
    {
        var problems = Problems(pod: """
            volumes:
            - name: data
            """);

        Assert.Equal([Invalid(18, 9, $"{PodSpecPath}.volumes[0]: Required value: must specify a volume type")], problems);
    }

    [Theory]
    [InlineData("Disk")]
    [InlineData("memory")]
    [InlineData("HugePages")]
    public void Read_UnknownEmptyDirMedium_IsUnsupported(string medium)
    {
        var problems = Problems(pod: $"""
            volumes:
            - name: data
              emptyDir:
                medium: {medium}
            """);

        Assert.Equal([Invalid(20, 11, $"{PodSpecPath}.volumes[0].emptyDir.medium: Unsupported value: \"{medium}\": supported values: \"\", \"Memory\"")], problems);
    }

    // HostDaemons neither limits nor evicts on emptyDir size: a limit it would ignore is refused, not dropped.
    [Theory]
    [InlineData("1Gi")]
    [InlineData("lots")]
    public void Read_EmptyDirSizeLimit_IsForbidden(string sizeLimit)
    {
        var problems = Problems(pod: $"""
            volumes:
            - name: data
              emptyDir:
                sizeLimit: "{sizeLimit}"
            """);

        Assert.Equal([Invalid(20, 11, $"{PodSpecPath}.volumes[0].emptyDir.sizeLimit: Forbidden: not supported: HostDaemons does not limit or evict on emptyDir size")], problems);
    }

    [Theory]
    [InlineData("Dir")]
    [InlineData("directory")]
    [InlineData("Block")]
    public void Read_UnknownHostPathType_ListsSupportedTypes(string type)
    {
        var problems = Problems(pod: $"""
            volumes:
            - name: data
              hostPath:
                path: /data
                type: {type}
            """);

        Assert.Equal([Invalid(21, 11, $"{PodSpecPath}.volumes[0].hostPath.type: Unsupported value: \"{type}\": supported values: {HostPathTypes}")], problems);
    }

    [Theory]
    [InlineData("DirectoryOrCreate")]
    [InlineData("Directory")]
    [InlineData("FileOrCreate")]
    [InlineData("File")]
    [InlineData("Socket")]
    [InlineData("CharDevice")]
    [InlineData("BlockDevice")]
    public void Read_KnownHostPathType_IsValid(string type)
    {
        var spec = Spec(pod: $"""
            volumes:
            - name: data
              hostPath:
                path: /data
                type: {type}
            """);

        Assert.Equal(type, spec.Volumes[0].HostPath.Type);
    }

    // Mounts

    [Theory]
    [InlineData("data")]
    [InlineData("./data")]
    [InlineData("~/data")]
    public void Read_RelativeMountPath_MustBeAbsolute(string mountPath)
    {
        var problems = Problems(
            $"""
            volumeMounts:
            - name: data
              mountPath: {mountPath}
            """,
            """
            volumes:
            - name: data
              emptyDir: {}
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.volumeMounts[0].mountPath: Invalid value: \"{mountPath}\": must be an absolute path")], problems);
    }

    [Fact]
    public void Read_MountWithoutMountPath_IsRequired()
    {
        var problems = Problems(
            """
            volumeMounts:
            - name: data
            """,
            """
            volumes:
            - name: data
              emptyDir: {}
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.volumeMounts[0].mountPath: Required value")], problems);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/")]
    public void Read_AbsoluteSubPath_MustBeRelative(string subPath)
    {
        var problems = Problems(
            $"""
            volumeMounts:
            - name: data
              mountPath: /data
              subPath: {subPath}
            """,
            """
            volumes:
            - name: data
              emptyDir: {}
            """);

        Assert.Equal([Invalid(20, 11, $"{ContainerPath}.volumeMounts[0].subPath: Invalid value: \"{subPath}\": must be a relative path")], problems);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/../../etc")]
    [InlineData("a/..")]
    public void Read_SubPathWithBackstep_IsInvalid(string subPath)
    {
        var problems = Problems(
            $"""
            volumeMounts:
            - name: data
              mountPath: /data
              subPath: "{subPath}"
            """,
            """
            volumes:
            - name: data
              hostPath:
                path: /srv
            """);

        Assert.Equal([Invalid(20, 11, $"{ContainerPath}.volumeMounts[0].subPath: Invalid value: \"{subPath}\": must not contain '..'")], problems);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/b/c")]
    [InlineData("..a")]
    [InlineData("a..b/c")]
    [InlineData("./a")]
    public void Read_RelativeSubPathWithoutBackstep_IsValid(string subPath)
    {
        var spec = Spec(
            $"""
            volumeMounts:
            - name: data
              mountPath: /data
              subPath: "{subPath}"
            """,
            """
            volumes:
            - name: data
              emptyDir: {}
            """);

        Assert.Equal(subPath, spec.Containers[0].VolumeMounts[0].SubPath);
    }

    [Fact]
    public void Read_TwoMountsAtOnePath_SecondMustBeUnique()
    {
        var problems = Problems(
            """
            volumeMounts:
            - name: a
              mountPath: /data
            - name: b
              mountPath: /data
            """,
            """
            volumes:
            - name: a
              emptyDir: {}
            - name: b
              emptyDir: {}
            """);

        Assert.Equal([Invalid(21, 11, $"{ContainerPath}.volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique")], problems);
    }

    [Fact]
    public void Read_OneVolumeAtTwoPathsWithSubPaths_IsValid()
    {
        var spec = Spec(
            """
            volumeMounts:
            - name: data
              mountPath: /etc/app
              subPath: config
            - name: data
              mountPath: /var/lib/app
              subPath: state
            """,
            """
            volumes:
            - name: data
              emptyDir: {}
            """);

        Assert.Equal(["config", "state"], spec.Containers[0].VolumeMounts.Select(m => m.SubPath));
    }

    // DNS

    [Fact]
    public void Read_DnsPolicyNoneWithoutConfig_NeedsNameservers()
    {
        var problems = Problems(pod: "dnsPolicy: None");

        Assert.Equal([Invalid(13, 5, $"{PodSpecPath}.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")], problems);
    }

    [Fact]
    public void Read_DnsPolicyNoneWithEmptyNameservers_NeedsNameservers()
    {
        var problems = Problems(pod: """
            dnsPolicy: None
            dnsConfig:
              searches: [example.com]
            """);

        Assert.Equal([Invalid(18, 7, $"{PodSpecPath}.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")], problems);
    }

    [Fact]
    public void Read_DnsPolicyNoneWithNameservers_IsValid()
    {
        var spec = Spec(pod: """
            dnsPolicy: None
            dnsConfig:
              nameservers: [192.0.2.53, "2001:db8::53"]
              searches: [svc.example.com, example.com]
              options:
              - name: ndots
                value: "2"
              - name: edns0
            """);

        Assert.Equal("None", spec.DnsPolicy);
        Assert.Equal(["192.0.2.53", "2001:db8::53"], spec.DnsConfig.Nameservers);
        Assert.Equal(["svc.example.com", "example.com"], spec.DnsConfig.Searches);
        Assert.True(spec.DnsConfig.Options[0].HasValue);
        Assert.False(spec.DnsConfig.Options[1].HasValue);
    }

    [Theory]
    [InlineData("ClusterFirst")]
    [InlineData("ClusterFirstWithHostNet")]
    [InlineData("Default")]
    public void Read_OtherDnsPolicies_NeedNoConfig(string policy)
    {
        Assert.Equal(policy, Spec(pod: $"dnsPolicy: {policy}").DnsPolicy);
    }

    [Fact]
    public void Read_UnknownDnsPolicy_IsUnsupported()
    {
        var problems = Problems(pod: "dnsPolicy: Host");

        Assert.Equal([Invalid(17, 7, $"{PodSpecPath}.dnsPolicy: Unsupported value: \"Host\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\"")], problems);
    }

    [Fact]
    public void Read_FourNameservers_AtMostThree()
    {
        var problems = Problems(pod: """
            dnsConfig:
              nameservers: [192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4]
            """);

        Assert.Equal([Invalid(18, 9, $"{PodSpecPath}.dnsConfig.nameservers: Invalid value: \"192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4\": must not have more than 3 nameservers")], problems);
    }

    [Theory]
    [InlineData("dns.example.com")]
    [InlineData("192.0.2.300")]
    [InlineData("192.0.2.1:53")]
    [InlineData("")]
    public void Read_NameserverNotAnIpAddress_IsInvalid(string nameserver)
    {
        var problems = Problems(pod: $"""
            dnsConfig:
              nameservers:
              - 192.0.2.53
              - "{nameserver}"
            """);

        Assert.Equal([Invalid(20, 11, $"{PodSpecPath}.dnsConfig.nameservers[1]: Invalid value: \"{nameserver}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")], problems);
    }

    [Theory]
    [InlineData("8.8.8")]
    [InlineData("1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%eth0")]
    public void Read_NameserverInNonCanonicalForm_IsInvalid(string nameserver)
    {
        var problems = Problems(pod: $"""
            dnsConfig:
              nameservers: ["{nameserver}"]
            """);

        Assert.Equal([Invalid(18, 23, $"{PodSpecPath}.dnsConfig.nameservers[0]: Invalid value: \"{nameserver}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")], problems);
    }

    [Fact]
    public void Read_SearchDomainNotASubdomain_IsInvalid()
    {
        var problems = Problems(pod: """
            dnsConfig:
              searches: ["bad domain"]
            """);

        var problem = Assert.Single(problems);
        Assert.Contains($"{PodSpecPath}.dnsConfig.searches[0]: Invalid value: \"bad domain\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DnsOptionWithoutName_IsRequired()
    {
        var problems = Problems(pod: """
            dnsConfig:
              options:
              - name: ndots
                value: "1"
              - value: "2"
            """);

        Assert.Equal([Invalid(21, 11, $"{PodSpecPath}.dnsConfig.options[1].name: Required value")], problems);
    }

    // PID namespace

    [Fact]
    public void Read_HostPid_IsTheJsonNameHostPID()
    {
        var spec = Spec(pod: "hostPID: true\nhostNetwork: true");

        Assert.True(spec.HostPid);
        Assert.True(spec.HostNetwork);
    }

    [Fact]
    public void Read_HostPidInCamelCase_IsUnknownWithSuggestion()
    {
        var problem = Assert.Single(Problems(pod: "hostPid: true"));

        Assert.Equal($"{FileName}:17:7: {PodSpecPath}: unknown field \"hostPid\" in PodSpec (did you mean \"hostPID\"?)", problem);
    }
}
