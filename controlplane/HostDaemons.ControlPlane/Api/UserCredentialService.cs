using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// <c>hdctl kubeconfig user</c>: a client certificate for a person, from a certificate signing request whose key never
/// leaves hdctl. Kubernetes asks the same of a CSR's approver for the <c>kubernetes.io/kube-apiserver-client</c> signer:
/// <c>create certificatesigningrequests</c> and <c>approve signers</c> in <c>certificates.k8s.io</c>. Until an
/// <see cref="IAccessAuthorizer"/> is registered (RBAC), only <c>system:masters</c> may.
/// </summary>
internal sealed partial class UserCredentialService(ListenEndpoint listen, AuditLog audit, IServiceProvider services, IAccessAuthorizer authorizer, ILogger<UserCredentialService> logger)
    : HostDaemons.Api.V1.UserCredentialService.UserCredentialServiceBase
{
    public const string CertificatesGroup = "certificates.k8s.io";
    public const string ClientSigner = "kubernetes.io/kube-apiserver-client";

    /// <summary>kubeadm's default for <c>kubeconfig user --validity-period</c>: 8760h.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    private const long MaxValiditySeconds = 100L * 366 * 24 * 3600;

    public override Task<IssueUserCertificateResponse> IssueUserCertificate(IssueUserCertificateRequest request, ServerCallContext context)
    {
        if (listen.IsDevelopmentMode)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "user certificates need a control plane that serves TLS (--listen https://...): in development mode (http://) every caller is an administrator"));
        }

        Authorize(context);
        // The CA's own expiry caps the validity anyway; the bound only keeps the arithmetic in range.
        var validity = request.ValiditySeconds == 0 ? DefaultValidity : TimeSpan.FromSeconds(Math.Min(request.ValiditySeconds, MaxValiditySeconds));
        if (validity <= TimeSpan.Zero)
        {
            throw ApiErrors.BadRequest("--validity-period must be more than 0");
        }

        var pki = services.GetRequiredService<ClusterPki>();
        X509Certificate2 certificate;
        try
        {
            var subject = UserSubjects.Build(request.ClientName, request.Organizations);
            certificate = pki.IssueUserCertificate(request.CertificateRequest.ToByteArray(), subject, validity);
        }
        catch (PkiException ex)
        {
            throw ApiErrors.BadRequest(ex.Message);
        }

        using (certificate)
        {
            var notAfter = certificate.NotAfter.ToUniversalTime();
            Log.Issued(logger, certificate.Subject, certificate.SerialNumber, notAfter, CallerIdentity.From(context)?.User ?? "-");
            audit.RecordEvent("create", new AuditObjectRef { Resource = "certificatesigningrequests", ApiGroup = CertificatesGroup, Name = request.ClientName },
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [AuditAnnotations.CertificateSerial] = certificate.SerialNumber,
                    [AuditAnnotations.CertificateSubject] = certificate.Subject,
                    [AuditAnnotations.CertificateNotAfter] = AuditEvent.MicroTime(notAfter),
                });
            return Task.FromResult(new IssueUserCertificateResponse { CertificatePem = certificate.ExportCertificatePem(), CaBundlePem = pki.CaBundlePem });
        }
    }

    /// <summary>Both of Kubernetes' checks for a client CSR's approval, recorded in the call's audit; throws PermissionDenied when one fails.</summary>
    private void Authorize(ServerCallContext context)
    {
        var caller = CallerIdentity.From(context) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "no credentials"));
        AccessRequest[] needed =
        [
            new(caller, "create", CertificatesGroup, "certificatesigningrequests"),
            new(caller, "approve", CertificatesGroup, "signers", Name: ClientSigner),
        ];
        foreach (var access in needed)
        {
            var decision = authorizer.Authorize(access);
            if (CallAudit.From(context) is { } record)
            {
                record.Access = access;
                record.Decision = decision;
            }

            if (!decision.Allowed)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, ForbiddenMessages.Denied(access, decision.Reason)));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 755, Level = LogLevel.Information, Message = "Issued a user certificate {Subject}, serial {Serial}, valid until {NotAfter:u}, for {Caller}")]
        public static partial void Issued(ILogger logger, string subject, string serial, DateTime notAfter, string caller);
    }
}
