using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.Security;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl kubeconfig user</c>: kubeconfigs for people, as <c>kubeadm kubeconfig user</c> writes them.</summary>
internal sealed class KubeconfigCommand : Command
{
    public KubeconfigCommand(CliEnvironment env)
        : base("kubeconfig", "Kubeconfig file utilities")
    {
        Subcommands.Add(new KubeconfigUserCommand(env));
    }
}

/// <summary>
/// <c>hdctl kubeconfig user --client-name NAME [--org GROUP]... [--validity-period 8760h]</c>: prints a kubeconfig for a
/// client certificate <c>CN=NAME, O=GROUP...</c> signed by the cluster CA. The key is made here and never sent: the
/// control plane gets a certificate signing request and builds the subject itself.
/// </summary>
internal sealed class KubeconfigUserCommand : Command
{
    private readonly Option<string> _clientName = new("--client-name") { Description = "The name of user. It will be used as the CN if client certificates are created", Required = true };
    private readonly Option<string[]> _orgs = new("--org") { Description = "The organizations of the client certificate. It will be used as the O if client certificates are created", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _validity = new("--validity-period") { Description = "The validity period of the client certificate. It is an offset from the current time", DefaultValueFactory = _ => "8760h" };
    private readonly CliEnvironment _env;

    public KubeconfigUserCommand(CliEnvironment env)
        : base("user", "Output a kubeconfig file for an additional user")
    {
        _env = env;
        Options.Add(_clientName);
        Options.Add(_orgs);
        Options.Add(_validity);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var validityText = parse.GetValue(_validity) ?? "8760h";
        if (!GoDuration.TryParse(validityText, out var validity) || validity <= TimeSpan.Zero)
        {
            throw new CliException($"error: invalid argument \"{validityText}\" for \"--validity-period\" flag: a duration more than 0, such as 8760h");
        }

        var name = parse.GetValue(_clientName)!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // The control plane ignores the request's subject (it builds its own from the fields below); it is set for readers.
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name.Length > 0 ? name : "-");
        var request = new IssueUserCertificateRequest
        {
            ClientName = name,
            CertificateRequest = ByteString.CopyFrom(new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequest()),
            ValiditySeconds = (long)Math.Ceiling(validity.TotalSeconds),
        };
        request.Organizations.Add(parse.GetValue(_orgs) ?? []);

        var connection = _env.Connect(parse);
        var response = await connection.UserCredentials.IssueUserCertificateAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        await _env.Output.WriteAsync(KubeconfigText.Render(connection.Server, response.CaBundlePem, response.CertificatePem, key.ExportECPrivateKeyPem(),
            KubeconfigText.ClusterName, name, KubeconfigText.ContextName(name)));
        return ExitCodes.Success;
    }
}
