/**
 * The UDP ports calls' RTP may use (`UMPIN_RTP_PORTS`, e.g. `10000-20000`, read and checked
 * by src/config.ts), so a firewall or a PBX's media policy can name them. Each call takes one
 * even port (RTP's convention, RFC 3550 §11: the odd one above is RTCP's, which we neither
 * send nor need).
 */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}
