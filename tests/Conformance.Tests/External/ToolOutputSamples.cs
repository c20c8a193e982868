namespace Vtls.Tests.External;

/// <summary>
/// Output lines captured from the real tools on this project's machines (OpenSSL 3.0, GnuTLS 3.7.9), shortened
/// only where a path or pointer was irrelevant.
/// </summary>
internal static class ToolOutputSamples
{
    public const string OpenSslHandshake =
        "<<< TLS 1.3, Handshake [length 0034], Finished\n" +
        ">>> TLS 1.3, Handshake [length 0034], Finished\n";

    public const string OpenSslCloseNotify =
        "<<< TLS 1.3, Alert [length 0002], warning close_notify\n" +
        ">>> TLS 1.3, Alert [length 0002], warning close_notify";

    public const string OpenSslUnexpectedEof =
        "40277CBF607F0000:error:0A000126:SSL routines:ssl3_read_n:unexpected eof while reading:" +
        "../ssl/record/rec_layer_s3.c:318:\n" +
        ">>> TLS 1.3, Alert [length 0002], fatal decode_error";

    public const string OpenSslReset = "read:errno=104";

    public const string OpenSslFatalAlert = "<<< TLS 1.3, Alert [length 0002], fatal certificate_required";

    public const string OpenSslBadRecordMac =
        "40976568E07F0000:error:0A000119:SSL routines:ssl3_get_record:decryption failed or bad record mac:" +
        "../ssl/record/ssl3_record.c:616:\n" +
        ">>> TLS 1.3, Alert [length 0002], fatal bad_record_mac";

    public const string OpenSslUserCanceledThenClose =
        "<<< TLS 1.3, Alert [length 0002], warning user_canceled\n" +
        "<<< TLS 1.3, Alert [length 0002], warning close_notify";

    public const string OpenSslCertificateRejected =
        "depth=0 CN = localhost\n" +
        "verify error:num=20:unable to get local issuer certificate\n" +
        "4037003E007F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:" +
        "certificate verify failed:../ssl/statem/statem_clnt.c:1889:\n" +
        ">>> TLS 1.3, Alert [length 0002], fatal unknown_ca";

    public const string OpenSslUnknownCaReceived =
        "ERROR\n" +
        "407734944C7F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:" +
        "../ssl/record/rec_layer_s3.c:1601:SSL alert number 48\n" +
        "<<< TLS 1.3, Alert [length 0002], fatal unknown_ca";

    public const string OpenSslUnsupportedProtocol =
        "4047843E5B7F0000:error:0A000102:SSL routines:tls_early_post_process_client_hello:" +
        "unsupported protocol:../ssl/statem/statem_srvr.c:1657:";

    public const string GnuTlsHandshake =
        "|<4>| HSK[0x55c7]: FINISHED was queued [16 bytes]\n" +
        "|<4>| HSK[0x55c7]: FINISHED (20) was received. Length 12[12], frag offset 0, frag length: 12\n";

    public const string GnuTlsCloseNotifyReceived = "|<5>| REC[0x563d]: Alert[1|0] - Close notify - was received";

    public const string GnuTlsCliPeerClosed = "- Peer has closed the GnuTLS connection";

    public const string GnuTlsCliTruncated =
        "*** Fatal error: The TLS connection was non-properly terminated.\n" +
        "*** Server has terminated the connection abnormally.";

    public const string GnuTlsServTruncated =
        "Error while receiving data\nError: The TLS connection was non-properly terminated.";

    public const string GnuTlsCliFinInsideRecord = "*** Fatal error: Error decoding the received TLS packet.";

    public const string GnuTlsCliReset = "*** Fatal error: Error in the pull function.";

    public const string GnuTlsServReset = "Error while receiving data\nError: Error in the pull function.";

    public const string GnuTlsCliAlert = "*** Received alert [116]: Certificate is required";

    public const string GnuTlsServAlert = "|<5>| REC[0x55bb]: Alert[2|20] - Bad record MAC - was received";

    public const string GnuTlsDecryptionFailed =
        "|<1>| Discarded message[3] due to invalid decryption\n*** Fatal error: Decryption has failed.";

    public const string GnuTlsUserCanceledThenClose =
        "*** Received alert [90]: User canceled\n- Peer has closed the GnuTLS connection";

    public const string GnuTlsCliCertificateRejected =
        "*** Handshake has failed\n" +
        "- Status: The certificate is NOT trusted. The certificate issuer is unknown. \n" +
        "*** PKI verification of server certificate failed...";

    public const string GnuTlsServUnknownCaReceived =
        "|<5>| REC[0x55bb]: Alert[2|48] - CA is unknown - was received\n" +
        "Error in handshake: A TLS fatal alert has been received.";

    public const string GnuTlsServHandshakeDecryptionFailed =
        "Error in handshake: Decryption has failed.\n|<5>| REC: Sending Alert[2|20] - Bad record MAC";
}
