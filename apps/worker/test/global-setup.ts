import { globalSetup } from '@ablate/scheduler/testing';

export default globalSetup;
