// Child of conventions.test.ts: builds one S3 client the way mlvet does (`ours`, from the built
// dist/, as the CLI runs) or the SDK's default way (`plain`), in a fresh plain-node process, so the
// SDK's once-per-process warning state starts clean (under vite-node each child took about 2 s).
import { S3Client } from '@aws-sdk/client-s3';

const client = process.argv[2] === 'plain' ? new S3Client({ region: 'us-east-1' }) : (await import('../../dist/sources/s3/client.js')).s3Client({ AWS_REGION: 'us-east-1' });
client.destroy();
process.stdout.write(`knob=${process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'unset'}\n`);
