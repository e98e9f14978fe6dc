using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class UserSubjectsTests
{
    [Fact]
    public void Build_NameAndGroups_CnAndOrganizationsInKubeadmOrderWithoutRepeats()
    {
        var subject = UserSubjects.Build("viv", ["viewers", "oncall", "viewers"]);

        Assert.Equal(("viv", "viewers,oncall"), (subject.CommonName, string.Join(",", subject.Organizations)));
        Assert.Equal("CN=viv, O=oncall, O=viewers", subject.ToDistinguishedName().Name);
    }

    [Fact]
    public void Build_Masters_Allowed()
    {
        Assert.Equal(["system:masters"], UserSubjects.Build("root", ["system:masters"]).Organizations);
    }

    [Theory]
    [InlineData("system:node:web-01", "viewers", "is a node's name")]
    [InlineData("viv", "system:nodes", "--org system:nodes is the nodes' group")]
    [InlineData("", "viewers", "--client-name \"\" must not be empty")]
    [InlineData(" viv", "viewers", "must not be empty nor start or end with spaces")]
    [InlineData("viv", "", "--org \"\" must not be empty")]
    [InlineData("viv\n", "viewers", "must not be empty nor start or end with spaces")]
    [InlineData("v\u0007iv", "viewers", "--client-name must not contain control characters")]
    public void Build_NodeIdentityOrBadName_Refused(string name, string group, string message)
    {
        var error = Assert.Throws<PkiException>(() => UserSubjects.Build(name, [group]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NameOverX509Bound_Refused()
    {
        var error = Assert.Throws<PkiException>(() => UserSubjects.Build(new string('a', 65), []));

        Assert.Contains("is 65 characters long: at most 64", error.Message, StringComparison.Ordinal);
    }
}
