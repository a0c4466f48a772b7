import { Alert, ConfigProvider, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useMe } from '../features/auth/api.ts';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { antdLocales } from './locales.ts';
import { homeOf } from './navigation.ts';
import { Shell } from './Shell.tsx';
import { usePrefersReducedMotion } from '../ui/motion.ts';

// Routes load lazily: a liaison on a phone never downloads the organizer's pages.
const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
const PlansPage = page(() => import('../pages/PlansPage.tsx'), 'PlansPage');
const PlanWorkspacePage = page(() => import('../pages/organizer/PlanWorkspacePage.tsx'), 'PlanWorkspacePage');
const RoundWizardPage = page(() => import('../pages/organizer/RoundWizardPage.tsx'), 'RoundWizardPage');
const RoundPage = page(() => import('../pages/organizer/RoundPage.tsx'), 'RoundPage');
const RoundAnalysisPage = page(() => import('../pages/organizer/RoundAnalysisPage.tsx'), 'RoundAnalysisPage');
const PlanTopicsPage = page(() => import('../pages/organizer/PlanTopicsPage.tsx'), 'PlanTopicsPage');
const RevisionPage = page(() => import('../pages/organizer/RevisionPage.tsx'), 'RevisionPage');
const InboxPage = page(() => import('../pages/unit/InboxPage.tsx'), 'InboxPage');
const ReplyPage = page(() => import('../pages/unit/ReplyPage.tsx'), 'ReplyPage');
const FeedbackPage = page(() => import('../pages/unit/FeedbackPage.tsx'), 'FeedbackPage');
const MetricsPage = page(() => import('../pages/organizer/MetricsPage.tsx'), 'MetricsPage');
const VersionComparePage = page(
  () => import('../pages/organizer/VersionComparePage.tsx'),
  'VersionComparePage',
);
const DashboardPage = page(() => import('../pages/leader/DashboardPage.tsx'), 'DashboardPage');
const ApprovalsPage = page(() => import('../pages/leader/ApprovalsPage.tsx'), 'ApprovalsPage');
const UnitAssessmentPage = page(() => import('../pages/leader/UnitAssessmentPage.tsx'), 'UnitAssessmentPage');
const UnitsPage = page(() => import('../pages/admin/UnitsPage.tsx'), 'UnitsPage');
const UsersPage = page(() => import('../pages/admin/UsersPage.tsx'), 'UsersPage');
const CalendarPage = page(() => import('../pages/admin/CalendarPage.tsx'), 'CalendarPage');
const NotificationsPage = page(() => import('../pages/NotificationsPage.tsx'), 'NotificationsPage');
const DeliveriesPage = page(() => import('../pages/admin/DeliveriesPage.tsx'), 'DeliveriesPage');
const ConflictBoardPage = page(() => import('../pages/organizer/ConflictBoardPage.tsx'), 'ConflictBoardPage');
const ConflictPage = page(() => import('../pages/organizer/ConflictPage.tsx'), 'ConflictPage');
const LibraryPage = page(() => import('../pages/organizer/LibraryPage.tsx'), 'LibraryPage');
const ExpertInboxPage = page(() => import('../pages/expert/ExpertInboxPage.tsx'), 'ExpertInboxPage');
const ModerationPage = page(() => import('../pages/organizer/ModerationPage.tsx'), 'ModerationPage');
const PublicRoundPage = page(() => import('../pages/public/PublicRoundPage.tsx'), 'PublicRoundPage');
const ConsultationAnswerPage = page(
  () => import('../pages/expert/ConsultationAnswerPage.tsx'),
  'ConsultationAnswerPage',
);

function Routed() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) {
    return <Spin fullscreen description={t('common.loading')} />;
  }
  if (me.isError) {
    return <Alert type="error" showIcon title={t('common.error', { message: me.error.message })} />;
  }
  if (!me.data) {
    return <SignInPage />;
  }
  if (me.data.mustChangePassword) {
    return <ChangePasswordPage />;
  }
  return (
    <Shell me={me.data}>
      <Suspense fallback={<Spin description={t('common.loading')} />}>
        <Routes>
          <Route path="/" element={<Navigate to={homeOf(me.data.roles)} replace />} />
          <Route path="/plans" element={<PlansPage />} />
          <Route path="/plans/:planId" element={<PlanWorkspacePage />} />
          <Route path="/plans/:planId/rounds/new" element={<RoundWizardPage />} />
          <Route path="/plans/:planId/revision" element={<RevisionPage />} />
          <Route path="/rounds/:roundId" element={<RoundPage />} />
          <Route path="/rounds/:roundId/analysis" element={<RoundAnalysisPage />} />
          <Route path="/rounds/:roundId/moderation" element={<ModerationPage />} />
          <Route path="/plans/:planId/topics" element={<PlanTopicsPage />} />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/invitations/:invitationId" element={<ReplyPage />} />
          <Route path="/feedback/:letterId" element={<FeedbackPage />} />
          <Route path="/plans/:planId/metrics" element={<MetricsPage />} />
          <Route path="/rounds/:roundId/metrics" element={<MetricsPage />} />
          <Route path="/versions/:versionId/compare" element={<VersionComparePage />} />
          <Route path="/dashboard" element={<DashboardPage />} />
          <Route path="/approvals" element={<ApprovalsPage />} />
          <Route path="/assessment" element={<UnitAssessmentPage />} />
          <Route path="/admin/units" element={<UnitsPage />} />
          <Route path="/admin/users" element={<UsersPage />} />
          <Route path="/admin/calendar" element={<CalendarPage />} />
          <Route path="/admin/deliveries" element={<DeliveriesPage />} />
          <Route path="/notifications" element={<NotificationsPage />} />
          <Route path="/rounds/:roundId/conflicts" element={<ConflictBoardPage />} />
          <Route path="/conflicts/:conflictId" element={<ConflictPage />} />
          <Route path="/library" element={<LibraryPage />} />
          <Route path="/expert" element={<ExpertInboxPage />} />
          <Route path="/expert/consultations/:consultationId" element={<ConsultationAnswerPage />} />
          <Route path="*" element={<Navigate to={homeOf(me.data.roles)} replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

/** Without motion: popups, drawers and messages appear and go at once. */
const STILL = { token: { motion: false } };

export function App() {
  const { i18n } = useTranslation();
  const reducedMotion = usePrefersReducedMotion();
  return (
    <ConfigProvider
      locale={antdLocales[i18n.language === 'en' ? 'en' : 'zh-CN']}
      // People who asked their system for less motion get none (WCAG 2.3.3).
      theme={reducedMotion ? STILL : undefined}
      // "登录", not "登 录": the label people read and screen readers announce is the word itself.
      button={{ autoInsertSpace: false }}
    >
      <BrowserRouter>
        <Routes>
          {/* Public pages work without signing in: they sit outside the signed-in gate. */}
          <Route
            path="/p/:roundId"
            element={
              <Suspense fallback={<Spin fullscreen />}>
                <PublicRoundPage />
              </Suspense>
            }
          />
          <Route path="*" element={<Routed />} />
        </Routes>
      </BrowserRouter>
    </ConfigProvider>
  );
}
