/** The part of autocannon 9's API the bench uses (the package ships no types). */
declare module "autocannon" {
  interface Histogram {
    p50: number;
    p97_5: number;
    p99: number;
    max: number;
    average: number;
  }
  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: { method?: string; setupRequest?: (req: RequestParams) => RequestParams }[];
  }
  interface Result {
    latency: Histogram;
    requests: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
