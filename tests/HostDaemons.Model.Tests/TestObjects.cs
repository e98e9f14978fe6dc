using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests;

/// <summary>Small valid objects that tests change one field of.</summary>
internal static class TestObjects
{
    /// <summary>A DaemonSet that validates once defaults are applied: selector app=NAME, one busybox container.</summary>
    public static DaemonSet DaemonSet(string name = "x") => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = { ["app"] = name } },
                Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } },
            },
        },
    };

    /// <summary>The YAML of <see cref="DaemonSet"/> with <paramref name="specExtra"/> appended under <c>spec:</c> (indented by the caller, 2 spaces).</summary>
    public static string DaemonSetYaml(string specExtra = "", string containerExtra = "") =>
        "apiVersion: apps/v1\n"
        + "kind: DaemonSet\n"
        + "metadata:\n"
        + "  name: x\n"
        + "spec:\n"
        + "  selector:\n"
        + "    matchLabels:\n"
        + "      app: x\n"
        + "  template:\n"
        + "    metadata:\n"
        + "      labels:\n"
        + "        app: x\n"
        + "    spec:\n"
        + "      containers:\n"
        + "      - name: main\n"
        + "        image: busybox\n"
        + containerExtra
        + specExtra;
}
